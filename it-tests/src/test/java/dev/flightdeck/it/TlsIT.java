package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.client.TlsOptions;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.TlsSettings;
import dev.flightdeck.server.auth.AuthenticatorConfig;
import dev.flightdeck.server.auth.ClientCertificateAuthenticator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS and mutual TLS with certificates made here: the right client is served, every wrong pairing
 * fails with SERVER_UNAVAILABLE and a message that says what to change, and the CLI connects.
 */
class TlsIT {
  @TempDir static Path certificates;
  private static TestCertificates authority;
  private static Path ca;
  private static Path[] serverPair;
  private static Path[] alice;
  private static Path[] bob;
  private static Path[] stranger;

  @TempDir Path work;
  private BufferAllocator allocator;
  private FlightdeckServer server;

  @BeforeAll
  static void makeCertificates() throws Exception {
    authority = TestCertificates.authority("flightdeck-test");
    ca = authority.caPem(certificates);
    serverPair = authority.server(certificates);
    alice = authority.client(certificates, "alice");
    bob = authority.client(certificates, "bob");
    stranger = TestCertificates.authority("elsewhere").client(certificates, "mallory");
  }

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    allocator.close();
  }

  @Test
  void aTlsServerServesAClientThatTrustsItsCa() throws Exception {
    start(TlsSettings.of(serverPair[0], serverPair[1]));
    assertThat(server.location().getUri().getScheme()).isEqualTo("grpc+tls");
    try (RemoteOfflineStore client =
        new RemoteOfflineStore("localhost", server.port(), TlsOptions.trusting(ca), allocator)) {
      assertThat(ExampleRepository.tripsOfDriver1001(client, allocator)).isEqualTo(601L);
    }
  }

  @Test
  void wrongPairingsFailWithAMessageThatSaysWhatToChange() throws Exception {
    start(TlsSettings.of(serverPair[0], serverPair[1]));
    try (RemoteOfflineStore plain = new RemoteOfflineStore("localhost", server.port(), allocator)) {
      assertUnavailable(plain, "if it serves TLS, connect with TLS");
    }
    try (RemoteOfflineStore untrusting =
        new RemoteOfflineStore("localhost", server.port(), TlsOptions.systemTrust(), allocator)) {
      assertUnavailable(untrusting, "signed by a private CA, trust that CA");
    }
    server.close();
    server = null;

    start(Optional.empty());
    try (RemoteOfflineStore tls =
        new RemoteOfflineStore("localhost", server.port(), TlsOptions.trusting(ca), allocator)) {
      assertUnavailable(tls, "if it serves plain gRPC, connect without TLS");
    }
  }

  @Test
  void mutualTlsServesOnlyClientsWithACertificateFromItsCa() throws Exception {
    start(TlsSettings.of(serverPair[0], serverPair[1]).requiringClientCertificates(ca));
    try (RemoteOfflineStore withCertificate =
        new RemoteOfflineStore(
            "localhost",
            server.port(),
            TlsOptions.trusting(ca).withClientCertificate(alice[0], alice[1]),
            allocator)) {
      assertThat(ExampleRepository.tripsOfDriver1001(withCertificate, allocator)).isEqualTo(601L);
    }
    try (RemoteOfflineStore without =
        new RemoteOfflineStore("localhost", server.port(), TlsOptions.trusting(ca), allocator)) {
      assertUnavailable(without, "over TLS");
    }
    try (RemoteOfflineStore foreign =
        new RemoteOfflineStore(
            "localhost",
            server.port(),
            TlsOptions.trusting(ca).withClientCertificate(stranger[0], stranger[1]),
            allocator)) {
      assertUnavailable(foreign, "over TLS");
    }
  }

  /**
   * With mutual TLS the certificate's subject is the principal: it holds the configured roles, and
   * another subject cannot see its commands.
   */
  @Test
  void aClientCertificatesSubjectIsItsPrincipal() throws Exception {
    start(
        Optional.of(TlsSettings.of(serverPair[0], serverPair[1]).requiringClientCertificates(ca)),
        List.of(
            new AuthenticatorConfig(
                ClientCertificateAuthenticator.TYPE,
                Map.of(ClientCertificateAuthenticator.ROLES, "read"))));
    String id = CommandIds.newId();
    try (FlightClient aliceClient = rawClient(alice);
        FlightClient bobClient = rawClient(bob);
        VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(1001L, TestTable.at("2024-01-01T10:30:00Z"))
                .build();
        VectorSchemaRoot features =
            ParamTables.strings(
                Api.Param.FEATURES, List.of("driver_hourly_stats:avg_daily_trips"), allocator)) {
      RawPuts alicePuts = new RawPuts(aliceClient, allocator);
      String api = Api.GET_HISTORICAL_FEATURES.wireName();
      alicePuts.put(id, api, Api.Param.ENTITY_DF, entities);
      alicePuts.put(id, api, Api.Param.FEATURES, features);
      assertThatThrownBy(() -> bobClient.getInfo(CommandIds.descriptor(id)))
          .isInstanceOfSatisfying(
              FlightRuntimeException.class,
              e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND));
      try (FlightStream stream = aliceClient.getStream(CommandIds.ticket(id))) {
        assertThat(stream.next()).isTrue();
        assertThat(stream.getRoot().getVector("avg_daily_trips").getObject(0)).isEqualTo(601L);
      }
      assertThatThrownBy(
              () ->
                  new RawPuts(aliceClient, allocator)
                      .put(
                          CommandIds.newId(),
                          Api.OFFLINE_WRITE_BATCH.wireName(),
                          Api.Param.TABLE,
                          entities))
          .isInstanceOfSatisfying(
              FlightRuntimeException.class,
              e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHORIZED))
          .hasMessageContaining("principal 'CN=alice' may not offline_write_batch");
    }
  }

  private FlightClient rawClient(Path[] pair) throws Exception {
    try (InputStream trust = Files.newInputStream(ca);
        InputStream certificate = Files.newInputStream(pair[0]);
        InputStream key = Files.newInputStream(pair[1])) {
      return FlightClient.builder(allocator, Location.forGrpcTls("localhost", server.port()))
          .trustedCertificates(trust)
          .clientCertificate(certificate, key)
          .build();
    }
  }

  @Test
  void theCliConnectsWithTlsFlags() throws Exception {
    start(TlsSettings.of(serverPair[0], serverPair[1]).requiringClientCertificates(ca));
    String port = String.valueOf(server.port());
    CliRun mutual =
        CliRun.of(
            "describe",
            "--port",
            port,
            "--tls-ca",
            ca.toString(),
            "--tls-cert",
            alice[0].toString(),
            "--tls-key",
            alice[1].toString());
    assertThat(mutual.exitCode()).as(mutual.err()).isZero();
    assertThat(mutual.out()).contains("Project driver_demo");

    CliRun noCertificate = CliRun.of("describe", "--port", port, "--tls-ca", ca.toString());
    assertThat(noCertificate.exitCode()).isEqualTo(1);
    assertThat(noCertificate.err()).contains("[SERVER_UNAVAILABLE]", "over TLS");

    CliRun halfPair =
        CliRun.of(
            "describe",
            "--port",
            port,
            "--tls-ca",
            ca.toString(),
            "--tls-cert",
            alice[0].toString());
    assertThat(halfPair.err()).contains("needs both --tls-cert and --tls-key");
  }

  private void start(TlsSettings tls) throws Exception {
    start(Optional.of(tls));
  }

  private void start(Optional<TlsSettings> tls) throws Exception {
    start(tls, List.of());
  }

  private void start(Optional<TlsSettings> tls, List<AuthenticatorConfig> authenticators)
      throws Exception {
    Path repository = work.resolve("repo-" + System.nanoTime());
    ExampleRepository.copyTo(repository);
    server =
        FlightdeckServer.forRepository(
                repository,
                allocator,
                ServerConfig.defaults()
                    .withHost("127.0.0.1")
                    .withPort(0)
                    .withTls(tls)
                    .withAuthenticators(authenticators))
            .start();
  }

  private static void assertUnavailable(RemoteOfflineStore client, String hint) {
    assertThatThrownBy(client::describe)
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE))
        .hasMessageContaining("no Flightdeck server answers at localhost:")
        .hasMessageContaining(hint);
  }
}
