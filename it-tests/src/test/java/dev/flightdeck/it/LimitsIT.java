package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.Limits;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RetrievalJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
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
 * Each limit attacked over the raw wire: the attacker gets RESOURCE_EXHAUSTED naming the limit and
 * its flag, what was partly received is dropped at once, and the next correct request is served.
 * The allocators are closed after each test, so memory a refusal kept would fail it.
 */
class LimitsIT {
  private static final String API = Api.GET_HISTORICAL_FEATURES.wireName();

  @TempDir Path work;
  private BufferAllocator allocator;
  private FlightdeckServer server;
  private FlightClient client;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    allocator.close();
  }

  @Test
  void aCommandOverItsByteLimitIsDroppedAndANewOneIsServed() throws Exception {
    start(Limits.defaults().withCommandBytes(Limits.MIB).withPendingBytes(4 * Limits.MIB));
    String id = CommandIds.newId();
    try (VectorSchemaRoot huge = entities(200_000)) {
      assertExhausted(
          () -> new RawPuts(client, allocator).put(id, API, Api.Param.ENTITY_DF, huge),
          "needs more than the 1 MiB one command may hold (--max-command-bytes)");
    }
    // The partly received command is gone: even its id starts afresh.
    assertThat(retrieve(id)).isEqualTo(601L);
    assertThat(retrieve(CommandIds.newId())).isEqualTo(601L);
  }

  @Test
  void allPendingCommandsTogetherStayUnderTheirLimit() throws Exception {
    start(Limits.defaults().withCommandBytes(Limits.MIB).withPendingBytes(3 * Limits.MIB / 2));
    try (VectorSchemaRoot large = entities(25_000)) { // ~0.5 MB of Arrow buffers each
      RawPuts puts = new RawPuts(client, allocator);
      String first = CommandIds.newId();
      String second = CommandIds.newId();
      puts.put(first, API, Api.Param.ENTITY_DF, large);
      puts.put(second, API, Api.Param.ENTITY_DF, large);
      assertExhausted(
          () -> puts.put(CommandIds.newId(), API, Api.Param.ENTITY_DF, large),
          "all pending commands may hold (1536 KiB, --max-pending-bytes)");
      cancel(first);
      cancel(second);
    }
    assertThat(retrieve(CommandIds.newId())).isEqualTo(601L);
  }

  @Test
  void aPrincipalHasAtMostItsPendingCommands() throws Exception {
    start(Limits.defaults().withCommandsPerPrincipal(3));
    RawPuts puts = new RawPuts(client, allocator);
    List<String> ids = List.of(CommandIds.newId(), CommandIds.newId(), CommandIds.newId());
    try (VectorSchemaRoot one = entities(1)) {
      for (String id : ids) {
        puts.put(id, API, Api.Param.ENTITY_DF, one);
      }
      assertExhausted(
              () -> puts.put(CommandIds.newId(), API, Api.Param.ENTITY_DF, one),
              "principal 'anonymous' already has 3 pending commands")
          .contains("--max-commands-per-principal 3");
    }
    cancel(ids.get(0));
    assertThat(retrieve(CommandIds.newId())).isEqualTo(601L);
    cancel(ids.get(1));
    cancel(ids.get(2));
  }

  @Test
  void anActionBodyAndAMessageHaveTheirLimits() throws Exception {
    start(Limits.defaults().withActionBodyBytes(1024).withMessageBytes(256 * 1024));
    byte[] body = "x".repeat(4096).getBytes(UTF_8);
    assertExhausted(
        () -> client.doAction(new Action("describe", body)).forEachRemaining(result -> {}),
        "has 4096 bytes, more than the 1 KiB allowed (--max-action-bytes)");

    // gRPC refuses a message over --max-message-bytes before Flightdeck sees it, and may reset
    // the connection while doing so: the put fails, and a new connection is served.
    try (VectorSchemaRoot bigBatch = entities(40_000); // ~640 KB in one message
        FlightClient attacker =
            FlightClient.builder(allocator, Location.forGrpcInsecure("localhost", server.port()))
                .build()) {
      assertThatThrownBy(
              () ->
                  new RawPuts(attacker, allocator)
                      .put(CommandIds.newId(), API, Api.Param.ENTITY_DF, bigBatch))
          .isInstanceOf(FlightRuntimeException.class);
    }
    assertThat(retrieve(CommandIds.newId())).isEqualTo(601L);
  }

  @Test
  void aRetrievalNamesAtMostItsFeatureReferences() throws Exception {
    start(Limits.defaults().withFeatureReferences(2));
    String id = CommandIds.newId();
    RawPuts puts = new RawPuts(client, allocator);
    try (VectorSchemaRoot one = entities(1);
        VectorSchemaRoot features =
            dev.flightdeck.protocol.ParamTables.strings(
                Api.Param.FEATURES,
                List.of(
                    "driver_hourly_stats:conv_rate",
                    "driver_hourly_stats:acc_rate",
                    "driver_hourly_stats:avg_daily_trips"),
                allocator)) {
      puts.put(id, API, Api.Param.ENTITY_DF, one);
      puts.put(id, API, Api.Param.FEATURES, features);
    }
    assertExhausted(
        () -> {
          try (FlightStream stream = client.getStream(CommandIds.ticket(id))) {
            stream.next();
          }
        },
        "names 3 feature references, more than the 2 allowed (--max-feature-references)");
    assertThat(retrieve(CommandIds.newId())).isEqualTo(601L);
  }

  /**
   * A put that sends its schema and then nothing holds its thread only until the idle timeout: it
   * is refused, its memory freed, and the client retries at once.
   */
  @Test
  void aPutThatStopsSendingIsDroppedAfterTheIdleTimeout() throws Exception {
    start(ServerConfig.defaults().withPutIdleTimeout(Duration.ofSeconds(1)));
    long baseline = allocator.getAllocatedMemory();
    String id = CommandIds.newId();
    try (VectorSchemaRoot rows = entities(100)) {
      // The first param arrives whole; the second stops after its schema.
      new RawPuts(client, allocator).put(id, API, Api.Param.ENTITY_DF, rows);
      try (StalledPut stalled = StalledPut.start(client, allocator, id, API, Api.Param.FEATURES)) {
        long started = System.nanoTime();
        assertExhausted(stalled::result, "sent nothing for PT1S (--put-idle-timeout)");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(Duration.ofSeconds(10));
      }
    }
    // The whole command went, the param received in full too: nothing of it is held.
    assertThat(allocator.getAllocatedMemory()).isEqualTo(baseline);
    assertThat(retrieve(CommandIds.newId())).isEqualTo(601L);
  }

  /** Puts in flight beyond the per-principal limit are refused while the others still run. */
  @Test
  void putsInFlightPerPrincipalAreLimited() throws Exception {
    start(Limits.defaults().withPutsPerPrincipal(2));
    try (StalledPut first =
            StalledPut.start(client, allocator, CommandIds.newId(), API, Api.Param.ENTITY_DF);
        StalledPut second =
            StalledPut.start(client, allocator, CommandIds.newId(), API, Api.Param.ENTITY_DF)) {
      Poll.until("two puts held", Duration.ofSeconds(20), () -> server.openPuts() == 2);
      assertExhausted(
          () -> retrieve(CommandIds.newId()),
          "principal 'anonymous' already has 2 puts in flight, the most allowed"
              + " (--max-puts-per-principal)");
    }
    Poll.until("no put held", Duration.ofSeconds(20), () -> server.openPuts() == 0);
    assertThat(retrieve(CommandIds.newId())).isEqualTo(601L);
  }

  /**
   * The Java client opens all of a call's puts before it sends any. When the server refuses one
   * (here the entity table, over its byte limit), no put of the call may stay held until the (here
   * very long) idle timeout, and the next call is served. The refusal reaches the client only once
   * every put was sent; a send that fails on the client's side is not driven here.
   */
  @Test
  void aRefusedCallThroughTheClientHoldsNoPut() throws Exception {
    start(
        ServerConfig.defaults()
            .withPutIdleTimeout(Duration.ofMinutes(10))
            .withLimits(Limits.defaults().withCommandBytes(Limits.MIB).withPutsPerPrincipal(3)));
    try (RemoteOfflineStore store =
            new RemoteOfflineStore(
                Location.forGrpcInsecure("localhost", server.port()), allocator, 1_000);
        VectorSchemaRoot huge = entities(200_000)) {
      assertThatThrownBy(
              () ->
                  store.getHistoricalFeatures(
                      HistoricalFeaturesRequest.of(
                          huge, List.of("driver_hourly_stats:avg_daily_trips"))))
          .isInstanceOf(FlightdeckException.class)
          .hasMessageContaining("--max-command-bytes");
      Poll.until("no put held", Duration.ofSeconds(20), () -> server.openPuts() == 0);
      try (VectorSchemaRoot one = entities(1);
          RetrievalJob job =
              store.getHistoricalFeatures(
                  HistoricalFeaturesRequest.of(
                      one, List.of("driver_hourly_stats:avg_daily_trips")));
          VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getVector("avg_daily_trips").getObject(0)).isEqualTo(601L);
      }
    }
  }

  private void start(Limits limits) throws Exception {
    start(ServerConfig.defaults().withLimits(limits));
  }

  private void start(ServerConfig config) throws Exception {
    Path repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    server = FlightdeckServer.forRepository(repository, allocator, config.withPort(0)).start();
    client =
        FlightClient.builder(allocator, Location.forGrpcInsecure("localhost", server.port()))
            .build();
  }

  /** Driver 1001 at one instant, {@code rows} times. */
  private VectorSchemaRoot entities(int rows) {
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    for (int i = 0; i < rows; i++) {
      table.row(1001L, at("2024-01-01T10:30:00Z"));
    }
    return table.build();
  }

  /** A whole retrieval of one entity row under {@code id}; the first row's trips. */
  private long retrieve(String id) throws Exception {
    RawPuts puts = new RawPuts(client, allocator);
    try (VectorSchemaRoot one = entities(1);
        VectorSchemaRoot features =
            dev.flightdeck.protocol.ParamTables.strings(
                Api.Param.FEATURES, List.of("driver_hourly_stats:avg_daily_trips"), allocator)) {
      puts.put(id, API, Api.Param.ENTITY_DF, one);
      puts.put(id, API, Api.Param.FEATURES, features);
    }
    try (FlightStream stream = client.getStream(CommandIds.ticket(id))) {
      assertThat(stream.next()).isTrue();
      return (Long) stream.getRoot().getVector("avg_daily_trips").getObject(0);
    }
  }

  private void cancel(String id) {
    client.doAction(new Action("cancel", id.getBytes(UTF_8))).forEachRemaining(result -> {});
  }

  private static org.assertj.core.api.AbstractStringAssert<?> assertExhausted(
      ThrowingCallable call, String message) {
    FlightRuntimeException error =
        (FlightRuntimeException)
            org.assertj.core.api.Assertions.catchThrowableOfType(
                FlightRuntimeException.class, call);
    assertThat(error).as("refused").isNotNull();
    assertThat(error.status().code()).isEqualTo(FlightStatusCode.RESOURCE_EXHAUSTED);
    assertThat(FlightErrors.fromFlight(error).code().name()).isEqualTo("LIMIT_EXCEEDED");
    return assertThat(error.status().description()).contains(message);
  }
}
