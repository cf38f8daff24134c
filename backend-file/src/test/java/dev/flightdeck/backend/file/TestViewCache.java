package dev.flightdeck.backend.file;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetTableWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache of decoded views: a second request reads no file, a write or a changed file is seen at
 * once, a view over the budget still answers, and concurrent first requests load once.
 */
class TestViewCache {
  private static final Instant T1 = at("2024-01-01T10:00:00Z");
  private static final Instant T2 = at("2024-01-01T11:00:00Z");
  private static final String REPOSITORY =
      """
      project: cache
      offline_store: {type: file%s}
      entities:
        - {name: driver, join_keys: [driver_id]}
      data_sources:
        - {name: stats, path: data/stats.parquet, timestamp_field: ts}
      feature_views:
        - name: hourly
          entities: [driver]
          ttl: P1D
          source: stats
          schema:
            - {name: trips, dtype: int64}
            - {name: label, dtype: string}
        - name: labels
          entities: [driver]
          ttl: P1D
          source: stats
          schema:
            - {name: label, dtype: string}
      """;

  @TempDir Path repositoryDir;
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    allocator.close(); // fails on a leak: every lease and entry freed
  }

  @Test
  void aSecondRequestIsAHitAndAnswersTheSame() {
    writeSource(1L, 10L);
    try (FileOfflineStore store = store("")) {
      List<List<Object>> first = retrieve(store, "hourly:trips");
      List<List<Object>> second = retrieve(store, "hourly:trips", "hourly:label");
      assertThat(first).containsExactly(List.of(1L, T2, 10L));
      assertThat(second).containsExactly(List.of(1L, T2, 10L, "v10"));
      assertThat(store.viewCache().misses()).isEqualTo(1);
      assertThat(store.viewCache().hits()).isEqualTo(1);
      assertThat(store.viewCache().bytes()).isPositive();
    }
  }

  @Test
  void aWriteIsSeenByTheNextRequestOfEveryViewOnTheSource() {
    writeSource(1L, 10L);
    try (FileOfflineStore store = store("")) {
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 10L));
      assertThat(retrieve(store, "labels:label")).containsExactly(List.of(1L, T2, "v10"));
      try (VectorSchemaRoot row =
          TestTable.with(allocator)
              .int64("driver_id")
              .timestamp("ts")
              .int64("trips")
              .string("label")
              .row(1L, T1.plusSeconds(1800), 99L, "written")
              .build()) {
        store.offlineWriteBatch("hourly", row);
      }
      assertThat(store.viewCache().bytes()).as("both views dropped at once").isZero();
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 99L));
      assertThat(retrieve(store, "labels:label")).containsExactly(List.of(1L, T2, "written"));
    }
  }

  @Test
  void aChangedFileIsSeenByTheNextRequest() {
    writeSource(1L, 10L);
    try (FileOfflineStore store = store("")) {
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 10L));
      writeSource(1L, 77L); // same size, rewritten behind the server's back
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 77L));
      assertThat(store.viewCache().misses()).isEqualTo(2);
    }
  }

  /** A prefetch loads the view ahead; the retrieval after it is a hit and answers the same. */
  @Test
  void aPrefetchedViewIsLoadedBeforeTheRetrieval() throws InterruptedException {
    writeSource(1L, 10L);
    try (FileOfflineStore store = store("")) {
      store.prefetch(List.of("hourly:trips", "no_such_view:x", "not a reference", "labels:nope"));
      awaitMisses(store, 2); // hourly and labels: an unknown feature of a known view still loads it
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 10L));
      assertThat(retrieve(store, "labels:label")).containsExactly(List.of(1L, T2, "v10"));
      assertThat(store.viewCache().misses()).isEqualTo(2);
      assertThat(store.viewCache().hits()).isEqualTo(2);
    }
  }

  /** Prefetched rows are never served once the source changed: the retrieval loads afresh. */
  @Test
  void aWriteAfterAPrefetchIsSeen() throws InterruptedException {
    writeSource(1L, 10L);
    try (FileOfflineStore store = store("")) {
      store.prefetch(List.of("hourly:trips"));
      awaitMisses(store, 1);
      try (VectorSchemaRoot row =
          TestTable.with(allocator)
              .int64("driver_id")
              .timestamp("ts")
              .int64("trips")
              .string("label")
              .row(1L, T1.plusSeconds(1800), 99L, "written")
              .build()) {
        store.offlineWriteBatch("hourly", row);
      }
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 99L));
    }
  }

  @Test
  void withTheCacheOffAPrefetchLoadsNothing() throws InterruptedException {
    writeSource(1L, 10L);
    try (FileOfflineStore store = store(", cache_size: 0")) {
      store.prefetch(List.of("hourly:trips"));
      Thread.sleep(200);
      assertThat(store.viewCache().misses()).isZero();
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 10L));
    }
  }

  @Test
  void aViewOverTheBudgetStillAnswersUncached() {
    writeSource(1L, 10L);
    try (FileOfflineStore store = store(", cache_size: 16")) {
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 10L));
      assertThat(retrieve(store, "hourly:trips")).containsExactly(List.of(1L, T2, 10L));
      assertThat(store.viewCache().bytes()).isZero();
      assertThat(store.viewCache().misses()).as("remembered as too large").isEqualTo(1);
    }
  }

  @Test
  void concurrentFirstRequestsLoadTheViewOnce() throws Exception {
    writeSource(1L, 10L);
    int clients = 8;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try (FileOfflineStore store = store("")) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<List<Object>>>> answers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        Callable<List<List<Object>>> call =
            () -> {
              start.await();
              return retrieve(store, "hourly:trips");
            };
        answers.add(pool.submit(call));
      }
      start.countDown();
      for (Future<List<List<Object>>> answer : answers) {
        assertThat(answer.get()).containsExactly(List.of(1L, T2, 10L));
      }
      assertThat(store.viewCache().misses()).isEqualTo(1);
      assertThat(store.viewCache().hits()).isEqualTo(clients - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Driver {@code driver}'s rows: 1 at T1, and {@code trips} at T1 + 30 minutes. */
  private void writeSource(long driver, long trips) {
    try (VectorSchemaRoot rows =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .int64("trips")
            .string("label")
            .row(driver, T1, 1L, "v1")
            .row(driver, T1.plusSeconds(1800), trips, "v" + trips)
            .build()) {
      ParquetTableWriter.write(rows, repositoryDir.resolve("data/stats.parquet"));
    }
  }

  private List<List<Object>> retrieve(FileOfflineStore store, String... features) {
    try (VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(1L, T2)
                .build();
        RetrievalJob job =
            store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, List.of(features)));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      return TableRows.of(result);
    }
  }

  private FileOfflineStore store(String config) {
    return (FileOfflineStore)
        new FileOfflineStoreFactory()
            .create(
                new OfflineStoreContext(
                    RepositoryLoader.parse(REPOSITORY.formatted(config)),
                    repositoryDir,
                    allocator));
  }

  /** Waits until {@code misses} loads have finished (a load counts as a miss when it starts). */
  private static void awaitMisses(FileOfflineStore store, long misses) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (store.viewCache().misses() < misses || store.viewCache().bytes() == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "prefetch did not load: " + store.viewCache().misses() + " misses");
      }
      Thread.sleep(10);
    }
  }
}
