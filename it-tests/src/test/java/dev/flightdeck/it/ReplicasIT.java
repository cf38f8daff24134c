package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RetrievalJob;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers over one repository behind a TCP load balancer, as docs/deployment.md describes: a
 * command's puts and do_get must reach the replica that holds its parameters. Per-connection
 * balancing keeps them together; with {@code --advertise} the do_get goes straight to the replica.
 */
class ReplicasIT {
  private static final List<String> FEATURES =
      List.of(
          "driver_hourly_stats:conv_rate",
          "driver_hourly_stats:avg_daily_trips",
          "customer_profile:current_balance");

  private BufferAllocator allocator;
  private OfflineStore local;
  private final List<FlightdeckServer> replicas = new ArrayList<>();
  private TcpBalancer balancer;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    local = OfflineStoreRegistry.discover().open(ExampleRepository.directory(), allocator);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (balancer != null) {
      balancer.close();
    }
    for (FlightdeckServer replica : replicas) {
      replica.close();
    }
    local.close();
    allocator.close(); // fails on a leak anywhere in clients, servers or backend
  }

  @Test
  void throughTheBalancerEachClientsPutsAndDoGetsStayOnOneReplica() throws Exception {
    startReplicas(false);
    int clients = 4;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int client = 0; client < clients; client++) {
        int seed = client;
        results.add(pool.submit(() -> retrieveTwiceThroughTheBalancer(seed)));
      }
      long resultBytes = 0;
      for (Future<Long> result : results) {
        resultBytes += result.get(2, TimeUnit.MINUTES);
      }
      // One connection per client, dealt in turn: both replicas served two clients' calls.
      assertThat(balancer.connections()).isEqualTo(clients);
      assertThat(balancer.connections(0)).isEqualTo(clients / 2);
      assertThat(balancer.connections(1)).isEqualTo(clients / 2);
      assertThat(balancer.bytesToClients())
          .as("without --advertise every result comes back through the balancer")
          .isGreaterThan(resultBytes / 2);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Two retrievals, each its own command, over one store's connection; returns result bytes. */
  private long retrieveTwiceThroughTheBalancer(int seed) {
    long bytes = 0;
    try (RemoteOfflineStore store =
        new RemoteOfflineStore(Location.forGrpcInsecure("127.0.0.1", balancer.port()), allocator)) {
      for (int run = 0; run < 2; run++) {
        bytes += retrieveAndCompare(store, seed * 10 + run, 1_000);
      }
    }
    return bytes;
  }

  @Test
  void withAdvertiseTheDoGetGoesStraightToTheReplicaThatHoldsTheCommand() throws Exception {
    startReplicas(true);
    long resultBytes = 0;
    for (int client = 0; client < 2; client++) {
      // Each store's connection goes to the next replica: the first to A, the second to B.
      try (RemoteOfflineStore store =
          new RemoteOfflineStore(
              Location.forGrpcInsecure("127.0.0.1", balancer.port()), allocator)) {
        resultBytes += retrieveAndCompare(store, client, 5_000);
        resultBytes += retrieveAndCompare(store, client + 10, 5_000);
      }
    }
    assertThat(balancer.connections()).isEqualTo(2);
    assertThat(balancer.connections(0)).isEqualTo(1);
    assertThat(balancer.connections(1)).isEqualTo(1);
    // Puts, flight infos and put acknowledgements went through the balancer, the results did not:
    // a do_get through it would have taken a new connection, to the other replica, and failed.
    assertThat(balancer.bytesToServers()).as("puts through the balancer").isGreaterThan(100_000);
    assertThat(balancer.bytesToClients())
        .as("results through the balancer, of " + resultBytes + " result bytes")
        .isLessThan(resultBytes / 20);
  }

  @Test
  void aCommandPutOnOneReplicaIsNotFoundOnTheOtherWhichKeepsServing() throws Exception {
    startReplicas(true);
    try (FlightClient a = FlightClient.builder(allocator, replicas.get(0).location()).build();
        FlightClient b = FlightClient.builder(allocator, replicas.get(1).location()).build()) {
      String command = UUID.randomUUID().toString();
      putHistorical(new RawPuts(a, allocator), command);

      Ticket ticket = new Ticket(command.getBytes(UTF_8));
      FlightDescriptor descriptor = FlightDescriptor.command(command.getBytes(UTF_8));
      for (Runnable onB : List.<Runnable>of(() -> drain(b, ticket), () -> b.getInfo(descriptor))) {
        FlightRuntimeException error = catchThrowableOfType(FlightRuntimeException.class, onB::run);
        assertThat(error.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
        assertThat(FlightErrors.fromFlight(error).code()).isEqualTo(ErrorCode.UNKNOWN_COMMAND);
        assertThat(error.status().description())
            .contains("unknown command " + command)
            .contains("never received its parameters")
            .contains("puts and its do_get must reach the same one");
      }

      // B serves its own clients, and A still holds the command B was asked for.
      try (RemoteOfflineStore direct =
          new RemoteOfflineStore(replicas.get(1).location(), allocator)) {
        retrieveAndCompare(direct, 3, 100);
      }
      assertThat(drain(a, ticket)).isEqualTo(100);
    }
  }

  @Test
  void theFlightInfoNamesTheReplicaAndIsOrderedForAnEntityTable() throws Exception {
    startReplicas(true);
    FlightdeckServer a = replicas.get(0);
    try (FlightClient client = FlightClient.builder(allocator, a.location()).build()) {
      RawPuts puts = new RawPuts(client, allocator);
      String historical = UUID.randomUUID().toString();
      putHistorical(puts, historical);
      FlightInfo info = client.getInfo(FlightDescriptor.command(historical.getBytes(UTF_8)));
      assertThat(info.getOrdered()).as("rows in the entity table's order").isTrue();
      assertThat(info.getEndpoints()).hasSize(1);
      assertThat(info.getEndpoints().get(0).getLocations())
          .containsExactly(new Location(a.config().advertise().orElseThrow()));

      String range = UUID.randomUUID().toString();
      String api = "get_historical_features";
      try (VectorSchemaRoot features = strings("features", FEATURES.get(0));
          VectorSchemaRoot start = instant("start_date", "2024-01-01T00:00:00Z");
          VectorSchemaRoot end = instant("end_date", "2024-01-02T00:00:00Z")) {
        puts.put(range, api, "features", features);
        puts.put(range, api, "start_date", start);
        puts.put(range, api, "end_date", end);
      }
      assertThat(client.getInfo(FlightDescriptor.command(range.getBytes(UTF_8))).getOrdered())
          .as("a time range has no entity order")
          .isFalse();

      String pull = UUID.randomUUID().toString();
      String pullApi = "pull_latest_from_table_or_query";
      try (VectorSchemaRoot source = strings("data_source_name", "driver_stats_source");
          VectorSchemaRoot keys = strings("join_key_columns", "driver_id");
          VectorSchemaRoot columns = strings("feature_name_columns", "conv_rate");
          VectorSchemaRoot timestamp = strings("timestamp_field", "event_timestamp");
          VectorSchemaRoot start = instant("start_date", "2024-01-01T00:00:00Z");
          VectorSchemaRoot end = instant("end_date", "2024-01-02T00:00:00Z")) {
        puts.put(pull, pullApi, "data_source_name", source);
        puts.put(pull, pullApi, "join_key_columns", keys);
        puts.put(pull, pullApi, "feature_name_columns", columns);
        puts.put(pull, pullApi, "timestamp_field", timestamp);
        puts.put(pull, pullApi, "start_date", start);
        puts.put(pull, pullApi, "end_date", end);
      }
      FlightInfo pullInfo = client.getInfo(FlightDescriptor.command(pull.getBytes(UTF_8)));
      assertThat(pullInfo.getOrdered()).isFalse();
      assertThat(pullInfo.getEndpoints().get(0).getLocations())
          .containsExactly(new Location(a.config().advertise().orElseThrow()));
    }
  }

  /**
   * Replicas A and B over the example repository, each advertising its own address when asked to,
   * and a balancer in front of them.
   */
  private void startReplicas(boolean advertise) throws Exception {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      int port = ServerProcesses.freePort();
      ServerConfig config =
          ServerConfig.defaults()
              .withPort(port)
              .withAdvertise(
                  advertise
                      ? Optional.of(URI.create("grpc+tcp://127.0.0.1:" + port))
                      : Optional.empty());
      replicas.add(
          FlightdeckServer.forRepository(ExampleRepository.directory(), allocator, config).start());
      ports.add(port);
    }
    balancer = TcpBalancer.start(ports);
  }

  /**
   * One retrieval of {@code rows} entity rows through {@code store}, checked against the local
   * store; returns the result's size in Arrow buffers.
   */
  private long retrieveAndCompare(OfflineStore store, int seed, int rows) {
    try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, seed, rows);
        RetrievalJob remoteJob =
            store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES));
        VectorSchemaRoot actual = remoteJob.toArrow(allocator);
        RetrievalJob localJob =
            local.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES));
        VectorSchemaRoot expected = localJob.toArrow(allocator)) {
      assertThat(actual.getSchema()).isEqualTo(expected.getSchema());
      assertThat(TableRows.of(actual)).isEqualTo(TableRows.of(expected)).hasSize(rows);
      return actual.getFieldVectors().stream().mapToLong(ValueVector::getBufferSize).sum();
    }
  }

  private void putHistorical(RawPuts puts, String command) {
    String api = "get_historical_features";
    try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, 7, 100);
        VectorSchemaRoot features = strings("features", FEATURES.toArray(String[]::new))) {
      puts.put(command, api, "entity_df", entities);
      puts.put(command, api, "features", features);
    }
  }

  private VectorSchemaRoot strings(String column, String... values) {
    TestTable table = TestTable.with(allocator).string(column);
    for (String value : values) {
      table.row(value);
    }
    return table.build();
  }

  private VectorSchemaRoot instant(String column, String instant) {
    return TestTable.with(allocator).timestamp(column).row(TestTable.at(instant)).build();
  }

  private static long drain(FlightClient client, Ticket ticket) {
    long rows = 0;
    try (FlightStream stream = client.getStream(ticket)) {
      while (stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
    } catch (FlightRuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return rows;
  }
}
