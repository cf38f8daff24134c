package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.client.ClientOptions;
import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.auth.TokenFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens checked against a token file: no or an unknown token is UNAUTHENTICATED before
 * anything is stored, a reader cannot write (PERMISSION_DENIED, and nothing is written), a writer
 * can, and the CLI sends a token from a file.
 */
class AuthIT {
  private static final String ALICE_TOKEN = "alice-0123456789abcdef";
  private static final String BOB_TOKEN = "bob-fedcba9876543210";

  @TempDir Path work;
  private BufferAllocator allocator;
  private FlightdeckServer server;

  @BeforeEach
  void startServer() throws Exception {
    Path tokens = work.resolve("tokens.yaml");
    Files.writeString(
        tokens,
        "tokens:\n"
            + "  - {principal: alice, sha256: "
            + TokenFile.sha256Hex(ALICE_TOKEN)
            + ", roles: [read, write]}\n"
            + "  - {principal: bob, sha256: "
            + TokenFile.sha256Hex(BOB_TOKEN)
            + ", roles: [read]}\n",
        UTF_8);
    Path repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    allocator = new RootAllocator();
    server =
        FlightdeckServer.forRepository(
                repository, allocator, ServerConfig.defaults().withPort(0).withAuthTokens(tokens))
            .start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    allocator.close();
  }

  @Test
  void aCallWithoutAKnownTokenIsUnauthenticated() throws Exception {
    try (RemoteOfflineStore anonymous = client(ClientOptions.defaults());
        RemoteOfflineStore impostor = client(ClientOptions.defaults().withBearerToken("guess"))) {
      assertFails(anonymous::describe, ErrorCode.UNAUTHENTICATED, "needs a credential");
      assertFails(
          () -> ExampleRepository.tripsOfDriver1001(anonymous, allocator),
          ErrorCode.UNAUTHENTICATED,
          "needs a credential");
      assertThatThrownBy(impostor::describe)
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
          .hasMessageContaining("not one this server accepts")
          .hasMessageNotContaining("guess");
    }
    try (RemoteOfflineStore alice = client(ClientOptions.defaults().withBearerToken(ALICE_TOKEN))) {
      assertThat(ExampleRepository.tripsOfDriver1001(alice, allocator))
          .isEqualTo(601L); // still serving
    }
  }

  @Test
  void aReaderReadsButCannotWriteAndNothingIsWritten() throws Exception {
    try (RemoteOfflineStore bob = client(ClientOptions.defaults().withBearerToken(BOB_TOKEN));
        RemoteOfflineStore alice = client(ClientOptions.defaults().withBearerToken(ALICE_TOKEN));
        VectorSchemaRoot poison = newRow(9999L)) {
      assertThat(ExampleRepository.tripsOfDriver1001(bob, allocator)).isEqualTo(601L);
      assertFails(
          () -> bob.offlineWriteBatch("driver_hourly_stats", poison),
          ErrorCode.PERMISSION_DENIED,
          "principal 'bob' may not offline_write_batch: that needs role 'write'");
      assertThat(ExampleRepository.tripsOfDriver1001(bob, allocator))
          .as("nothing written")
          .isEqualTo(601L);

      assertThat(alice.offlineWriteBatch("driver_hourly_stats", poison)).isEqualTo(1);
      assertThat(ExampleRepository.tripsOfDriver1001(bob, allocator)).isEqualTo(9999L);
    }
  }

  /**
   * A command belongs to the principal whose put made it: another principal's getFlightInfo,
   * do_get, cancel and put all get NOT_FOUND, and the owner's result is untouched.
   */
  @Test
  void anotherPrincipalCannotTouchACommand() throws Exception {
    String id = CommandIds.newId();
    try (FlightClient alice = rawClient(ALICE_TOKEN);
        FlightClient bob = rawClient(BOB_TOKEN);
        VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(1001L, at("2024-01-01T10:30:00Z"))
                .build();
        VectorSchemaRoot features =
            ParamTables.strings(
                Api.Param.FEATURES, List.of("driver_hourly_stats:avg_daily_trips"), allocator);
        VectorSchemaRoot fullNames =
            ParamTables.bool(Api.Param.FULL_FEATURE_NAMES, true, allocator)) {
      RawPuts alicePuts = new RawPuts(alice, allocator);
      String api = Api.GET_HISTORICAL_FEATURES.wireName();
      alicePuts.put(id, api, Api.Param.ENTITY_DF, entities);
      alicePuts.put(id, api, Api.Param.FEATURES, features);

      assertNotFound(() -> bob.getInfo(CommandIds.descriptor(id)));
      assertNotFound(
          () -> {
            try (FlightStream stream = bob.getStream(CommandIds.ticket(id))) {
              while (stream.next()) {
                // drain
              }
            }
          });
      assertNotFound(
          () -> bob.doAction(new Action("cancel", id.getBytes(UTF_8))).forEachRemaining(r -> {}));
      assertNotFound(
          () -> new RawPuts(bob, allocator).put(id, api, Api.Param.FULL_FEATURE_NAMES, fullNames));

      try (FlightStream stream = alice.getStream(CommandIds.ticket(id))) {
        assertThat(stream.next()).isTrue();
        assertThat(stream.getRoot().getSchema().findField("avg_daily_trips")).isNotNull();
        assertThat(stream.getRoot().getVector("avg_daily_trips").getObject(0)).isEqualTo(601L);
      }
    }
  }

  private FlightClient rawClient(String token) {
    return FlightClient.builder(allocator, Location.forGrpcInsecure("localhost", server.port()))
        .intercept(
            info ->
                new FlightClientMiddleware() {
                  @Override
                  public void onBeforeSendingHeaders(CallHeaders outgoing) {
                    outgoing.insert("authorization", "Bearer " + token);
                  }

                  @Override
                  public void onHeadersReceived(CallHeaders incoming) {}

                  @Override
                  public void onCallCompleted(CallStatus status) {}
                })
        .build();
  }

  private static void assertNotFound(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightRuntimeException.class,
            e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND));
  }

  @Test
  void theCliSendsATokenFromAFileAndHashesTokens() throws Exception {
    Path token = work.resolve("bob.token");
    Files.writeString(token, BOB_TOKEN + "\n", UTF_8);
    String port = String.valueOf(server.port());

    CliRun described = CliRun.of("describe", "--port", port, "--token-file", token.toString());
    assertThat(described.exitCode()).as(described.err()).isZero();
    assertThat(described.out()).contains("Project driver_demo");

    CliRun refused = CliRun.of("describe", "--port", port);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("[UNAUTHENTICATED]");

    CliRun hashed = CliRun.withStdin(BOB_TOKEN + "\n", "hash-token");
    assertThat(hashed.exitCode()).as(hashed.err()).isZero();
    assertThat(hashed.out().strip()).isEqualTo(TokenFile.sha256Hex(BOB_TOKEN)).hasSize(64);
  }

  @Test
  void aTokenFileIsCheckedWhenTheServerStarts() throws Exception {
    Path clearText = work.resolve("clear.yaml");
    Files.writeString(
        clearText, "tokens:\n  - {principal: eve, sha256: hunter2, roles: [read]}\n", UTF_8);
    assertThatThrownBy(
            () ->
                FlightdeckServer.forRepository(
                    work.resolve("repo"),
                    allocator,
                    ServerConfig.defaults().withPort(0).withAuthTokens(clearText)))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("tokens[0] sha256 must be 64 lowercase hex digits")
        .hasMessageNotContaining("hunter2");
  }

  private RemoteOfflineStore client(ClientOptions options) {
    return new RemoteOfflineStore("localhost", server.port(), options, allocator);
  }

  private VectorSchemaRoot newRow(long trips) {
    return TestTable.with(allocator)
        .int64("driver_id")
        .timestamp("event_timestamp")
        .timestamp("created")
        .float32("conv_rate")
        .float32("acc_rate")
        .int64("trips")
        .row(1001L, at("2024-01-01T10:20:00Z"), at("2024-01-01T10:20:00Z"), 0.5f, 0.5f, trips)
        .build();
  }

  private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
        .hasMessageContaining(message);
  }
}
