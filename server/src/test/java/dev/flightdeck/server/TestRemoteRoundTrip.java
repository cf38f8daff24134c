package dev.flightdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RetrievalJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real client against the real producer, over a fake store. */
class TestRemoteRoundTrip {
  private BufferAllocator allocator;
  private FakeOfflineStore fake;
  private FlightdeckServer server;
  private RemoteOfflineStore remote;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    fake = new FakeOfflineStore(allocator);
    server =
        FlightdeckServer.forStore(fake, allocator, ServerConfig.defaults().withPort(0)).start();
    remote = new RemoteOfflineStore(server.location(), allocator, 2);
  }

  @AfterEach
  void tearDown() throws Exception {
    remote.close();
    server.close();
    allocator.close(); // fails the test on a leak
  }

  @Test
  void retrievesThroughTheWireInSeveralPutBatches() {
    try (VectorSchemaRoot entities = entities();
        RetrievalJob job =
            remote.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate"))
                    .withFullFeatureNames(true))) {
      assertThat(fake.jobsCreated.get()).isZero(); // nothing ran on put
      assertThat(job.schema().getFields())
          .extracting(Field::getName)
          .containsExactly("driver_id", "event_timestamp", "stats__conv_rate");
      try (VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getRowCount()).isEqualTo(5);
        assertThat(((BigIntVector) result.getVector("driver_id")).get(4)).isEqualTo(1005L);
        assertThat(((BigIntVector) result.getVector("stats__conv_rate")).get(4)).isEqualTo(4L);
      }
      try (VectorSchemaRoot again = job.toArrow(allocator)) {
        assertThat(again.getRowCount()).as("a second run re-sends the parameters").isEqualTo(5);
      }
    }
  }

  /** The feature list is announced to the store as it arrives, before any job exists. */
  @Test
  void theFeatureListIsAnnouncedToTheStoreOnArrival() {
    try (VectorSchemaRoot entities = entities();
        RetrievalJob job =
            remote.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate", "big:x")))) {
      assertThat(fake.prefetched).containsExactly(List.of("stats:conv_rate", "big:x"));
      assertThat(fake.jobsCreated.get()).isZero();
    }
  }

  @Test
  void serverErrorsKeepTheirCode() {
    try (VectorSchemaRoot entities = entities();
        RetrievalJob unknown =
            remote.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("nope:x")));
        RetrievalJob boom =
            remote.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("boom:x")))) {
      assertThatThrownBy(() -> unknown.toArrow(allocator))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE_VIEW);
                assertThat(e.getMessage()).contains("'nope'");
              });
      assertThatThrownBy(() -> boom.toArrow(allocator))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_FAILURE));
    }
  }

  @Test
  void concurrentClientsGetTheirOwnRows() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int task = 0; task < 40; task++) {
        long driver = 5_000L + task;
        results.add(executor.submit(() -> firstDriverOf(driver)));
      }
      for (int task = 0; task < 40; task++) {
        assertThat(results.get(task).get(60, TimeUnit.SECONDS)).isEqualTo(5_000L + task);
      }
    } finally {
      executor.shutdown();
    }
  }

  private long firstDriverOf(long driver) {
    try (VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(driver, TestTable.at("2024-01-01T10:00:00Z"))
                .build();
        RetrievalJob job =
            remote.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(result.getRowCount()).isEqualTo(1);
      return ((BigIntVector) result.getVector("driver_id")).get(0);
    }
  }

  private VectorSchemaRoot entities() {
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    for (long driver = 1001; driver <= 1005; driver++) {
      table.row(driver, TestTable.at("2024-01-01T10:00:00Z"));
    }
    return table.build();
  }
}
