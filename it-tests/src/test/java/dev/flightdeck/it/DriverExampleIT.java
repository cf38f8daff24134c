package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RetrievalJob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reference server over the committed driver example, as a user runs it: the file backend found
 * by ServiceLoader, a real Flight server on a free port, and the remote client. Remote answers must
 * equal local ones, row for row.
 */
class DriverExampleIT {
  private static final List<String> FEATURES = ExampleRepository.FEATURES;

  private static BufferAllocator allocator;
  private static OfflineStore local;
  private static CountingOfflineStore counting;
  private static FlightdeckServer server;
  private static RemoteOfflineStore remote;

  @BeforeAll
  static void startServer() {
    allocator = new RootAllocator();
    local = OfflineStoreRegistry.discover().open(ExampleRepository.directory(), allocator);
    counting =
        new CountingOfflineStore(
            OfflineStoreRegistry.discover().open(ExampleRepository.directory(), allocator));
    server =
        FlightdeckServer.forStore(counting, allocator, ServerConfig.defaults().withPort(0)).start();
    remote = new RemoteOfflineStore(server.location(), allocator);
  }

  @AfterAll
  static void stopServer() throws Exception {
    remote.close();
    server.close();
    local.close();
    allocator.close(); // fails on a leak anywhere in client, server or backend
  }

  @Test
  void servesTheExampleWithPointInTimeSemantics() {
    try (VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .int64("customer_id")
                .timestamp("event_timestamp")
                .row(1001L, 201L, at("2024-01-01T10:30:00Z")) // hour 10's row
                .row(
                    1001L,
                    201L,
                    at("2024-01-01T09:45:00Z")) // hour 9 was corrected: the later created row wins
                .row(
                    1002L,
                    202L,
                    at("2024-01-05T00:00:00Z")) // driver stats older than their 1 day TTL, profile
                // within 7 days
                .row(1003L, 203L, at("2023-12-31T23:00:00Z")) // before any data
                .row(9999L, 999L, at("2024-01-02T00:00:00Z")) // unknown entities
                .build();
        RetrievalJob job =
            remote.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(TableRows.of(result))
          .containsExactly(
              List.of(1001L, 201L, at("2024-01-01T10:30:00Z"), 0.01f, 0.03f, 601L, 417.5f, 11251L),
              List.of(1001L, 201L, at("2024-01-01T09:45:00Z"), 0.07f, 0.21f, 607L, 417.5f, 11251L),
              Arrays.asList(
                  1002L, 202L, at("2024-01-05T00:00:00Z"), null, null, null, 444.5f, 11332L),
              Arrays.asList(1003L, 203L, at("2023-12-31T23:00:00Z"), null, null, null, null, null),
              Arrays.asList(9999L, 999L, at("2024-01-02T00:00:00Z"), null, null, null, null, null));
    }
  }

  @Test
  void remoteEqualsLocalForReferencesServicesAndFullNames() {
    List<HistoricalFeaturesRequest> requests = new ArrayList<>();
    try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, 0)) {
      requests.add(HistoricalFeaturesRequest.of(entities, FEATURES));
      requests.add(HistoricalFeaturesRequest.of(entities, FEATURES).withFullFeatureNames(true));
      requests.add(
          new HistoricalFeaturesRequest(
              entities, new FeatureSelection.Service("driver_activity"), false));
      for (HistoricalFeaturesRequest request : requests) {
        try (VectorSchemaRoot expected = run(local, request);
            VectorSchemaRoot actual = run(remote, request)) {
          assertThat(actual.getSchema()).isEqualTo(expected.getSchema());
          assertThat(TableRows.of(actual))
              .isEqualTo(TableRows.of(expected))
              .hasSize(entities.getRowCount());
        }
      }
    }
  }

  @Test
  void eightConcurrentClientsEachGetTheirOwnRows() throws Exception {
    int clients = 8;
    List<List<List<Object>>> expected = new ArrayList<>();
    for (int client = 0; client < clients; client++) {
      try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, client);
          VectorSchemaRoot table = run(local, HistoricalFeaturesRequest.of(entities, FEATURES))) {
        expected.add(TableRows.of(table));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch ready = new CountDownLatch(clients);
    try {
      List<Future<List<List<Object>>>> results = new ArrayList<>();
      for (int client = 0; client < clients; client++) {
        int seed = client;
        Callable<List<List<Object>>> call =
            () -> {
              // Each client its own connection and entity table; all put before any fetches.
              try (RemoteOfflineStore own =
                      new RemoteOfflineStore(server.location(), allocator, 7);
                  VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, seed);
                  RetrievalJob job =
                      own.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES))) {
                ready.countDown();
                ready.await(30, TimeUnit.SECONDS);
                try (VectorSchemaRoot table = job.toArrow(allocator)) {
                  return TableRows.of(table);
                }
              }
            };
        results.add(pool.submit(call));
      }
      for (int client = 0; client < clients; client++) {
        assertThat(results.get(client).get(60, TimeUnit.SECONDS))
            .as("client %d", client)
            .isEqualTo(expected.get(client));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theServerRunsTheBackendOnlyWhenDataIsAskedFor() {
    int created = counting.jobsCreated.get();
    int run = counting.jobsRun.get();
    try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, 1);
        RetrievalJob job =
            remote.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES))) {
      assertThat(counting.jobsCreated.get()).as("jobs created by the puts").isEqualTo(created);

      assertThat(job.schema().getFields())
          .hasSize(entities.getSchema().getFields().size() + FEATURES.size());
      assertThat(counting.jobsRun.get()).as("jobs run for the schema").isEqualTo(run);

      try (VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getRowCount()).isEqualTo(entities.getRowCount());
      }
      assertThat(counting.jobsRun.get()).as("jobs run for the data").isEqualTo(run + 1);
    }
  }

  @Test
  void badRequestsGetTheirDocumentedCodeAndTheServerKeepsServing() {
    record Case(
        String name, TestTable entities, List<String> features, ErrorCode code, String named) {}
    List<Case> cases =
        List.of(
            new Case(
                "unknown view",
                drivers(),
                List.of("driver_daily:conv_rate"),
                ErrorCode.UNKNOWN_FEATURE_VIEW,
                "driver_daily"),
            new Case(
                "unknown feature",
                drivers(),
                List.of("driver_hourly_stats:speed"),
                ErrorCode.UNKNOWN_FEATURE,
                "speed"),
            new Case(
                "missing join key",
                TestTable.with(allocator)
                    .int64("customer_id")
                    .timestamp("event_timestamp")
                    .row(201L, at("2024-01-02T00:00:00Z")),
                List.of("driver_hourly_stats:conv_rate"),
                ErrorCode.INVALID_ENTITY_TABLE,
                "driver_id"),
            new Case(
                "string timestamps",
                TestTable.with(allocator)
                    .int64("driver_id")
                    .string("event_timestamp")
                    .row(1001L, "2024-01-02"),
                List.of("driver_hourly_stats:conv_rate"),
                ErrorCode.INVALID_ENTITY_TABLE,
                "event_timestamp"),
            new Case(
                "null timestamp",
                TestTable.with(allocator)
                    .int64("driver_id")
                    .timestamp("event_timestamp")
                    .row(1001L, null),
                List.of("driver_hourly_stats:conv_rate"),
                ErrorCode.INVALID_ENTITY_TABLE,
                "event_timestamp"),
            new Case(
                "float join key",
                TestTable.with(allocator)
                    .float64("driver_id")
                    .timestamp("event_timestamp")
                    .row(1001.0, at("2024-01-02T00:00:00Z")),
                List.of("driver_hourly_stats:conv_rate"),
                ErrorCode.INVALID_ENTITY_TABLE,
                "driver_id"));
    for (Case bad : cases) {
      try (VectorSchemaRoot entities = bad.entities().build();
          RetrievalJob job =
              remote.getHistoricalFeatures(
                  HistoricalFeaturesRequest.of(entities, bad.features()))) {
        assertThatThrownBy(() -> job.toArrow(allocator))
            .as(bad.name())
            .isInstanceOfSatisfying(
                FlightdeckException.class,
                e -> {
                  assertThat(e.code()).as(bad.name()).isEqualTo(bad.code());
                  assertThat(e.getMessage()).as(bad.name()).contains(bad.named());
                });
      }
      assertStillServing();
    }
  }

  @Test
  void malformedReferencesAreRefusedBeforeAnythingIsSent() {
    // The raw wire test (WireProtocolIT) covers the server's own check of the same rule.
    try (VectorSchemaRoot entities = drivers().build()) {
      assertThatThrownBy(
              () ->
                  remote.getHistoricalFeatures(
                      HistoricalFeaturesRequest.of(entities, List.of("conv_rate"))))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FEATURE_REFERENCE);
                assertThat(e.getMessage()).contains("'conv_rate'");
              });
    }
  }

  private TestTable drivers() {
    return TestTable.with(allocator)
        .int64("driver_id")
        .timestamp("event_timestamp")
        .row(1001L, at("2024-01-02T00:00:00Z"));
  }

  private static void assertStillServing() {
    try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, 3);
        VectorSchemaRoot result = run(remote, HistoricalFeaturesRequest.of(entities, FEATURES))) {
      assertThat(result.getRowCount()).isEqualTo(entities.getRowCount());
    }
  }

  private static VectorSchemaRoot run(OfflineStore store, HistoricalFeaturesRequest request) {
    try (RetrievalJob job = store.getHistoricalFeatures(request)) {
      return job.toArrow(allocator);
    }
  }
}
