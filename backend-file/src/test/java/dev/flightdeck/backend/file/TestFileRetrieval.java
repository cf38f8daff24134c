package dev.flightdeck.backend.file;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetTableWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the store reads and streams: row-group skipping, batching, re-running, several files. */
class TestFileRetrieval {
  private static final Instant START = at("2024-01-01T00:00:00Z");
  private static final int SOURCE_ROWS = 5_000;
  private static final int DRIVERS = 50;
  private static final String REPOSITORY =
      """
      project: retrieval
      offline_store: {type: file%s}
      entities:
        - {name: driver, join_keys: [driver_id]}
      data_sources:
        - {name: stats, path: data/stats, timestamp_field: ts}
      feature_views:
        - name: hourly
          entities: [driver]
          ttl: PT30M
          source: stats
          schema:
            - {name: trips, dtype: int64}
            - {name: label, dtype: string}
      """;

  @TempDir Path temp;
  private BufferAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void skippingRowGroupsDoesNotChangeResults() throws IOException {
    Path small = writeSource(temp.resolve("small"), 2_048);
    Path large = writeSource(temp.resolve("large"), ParquetTableWriter.DEFAULT_ROW_GROUP_BYTES);
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            new LocalInputFile(small.resolve("data/stats/part-0.parquet")),
            ParquetReadOptions.builder().build())) {
      assertThat(reader.getRowGroups()).hasSizeGreaterThan(5);
    }

    try (VectorSchemaRoot entities = lateEntities()) {
      assertThat(retrieve(small, ", cache_size: 0", entities))
          .isEqualTo(retrieve(large, ", cache_size: 0", entities))
          .isEqualTo(retrieve(small, "", entities));

      RetrievalPlan plan =
          RetrievalPlan.create(
              repository(""), HistoricalFeaturesRequest.of(entities, List.of("hourly:trips")));
      Set<Object> allKeys = new HashSet<>();
      for (long driver = 0; driver < DRIVERS; driver++) {
        allKeys.add(driver);
      }
      try (ViewCache noCache = new ViewCache(allocator, 0);
          ViewReaders readers = new ViewReaders(new SourcePaths(small, List.of()), noCache, 2)) {
        ParquetViewReader reader =
            readers.reader(
                plan.views().get(0),
                allKeys,
                micros(START.plus(Duration.ofMinutes(4_000))),
                micros(START.plus(Duration.ofMinutes(4_100))),
                allocator);
        LoadedView view = reader.read();
        view.close();
        assertThat(reader.rowGroupsSkipped()).isGreaterThan(0);
        assertThat(reader.rowGroupsRead()).isGreaterThan(0);
        assertThat(view.rowCount()).isEqualTo(101);
      }
    }
  }

  /**
   * Fixed-width features decode apart from their rows, every row, then keep the kept ones: many row
   * groups read by two threads, with rows filtered (no cache) and without, answer as one row group.
   */
  @Test
  void featuresDecodedApartFromTheirRowsAnswerTheSame() throws IOException {
    Path small = writeSource(temp.resolve("small"), 2_048);
    Path large = writeSource(temp.resolve("large"), ParquetTableWriter.DEFAULT_ROW_GROUP_BYTES);
    List<String> trips = List.of("hourly:trips");
    // The latest entity time cuts a row group: its rows after that time are dropped.
    try (VectorSchemaRoot entities = lateEntities()) {
      List<List<Object>> expected = retrieve(large, ", cache_size: 0", entities, trips);
      assertThat(expected).hasSize(200);
      assertThat(retrieve(small, ", cache_size: 0", entities, trips)).isEqualTo(expected);
      assertThat(retrieve(small, "", entities, trips)).isEqualTo(expected);
    }
  }

  @Test
  void manyEntityRowsLookedUpInKeyOrderAnswerAsFewLookedUpInTheirOwnOrder() throws IOException {
    Path repositoryDir = writeSource(temp.resolve("repo"), 4_096);
    // 6,000 rows are looked up all at once in key order; 3,000 (below 4,096) batch by batch.
    try (VectorSchemaRoot all = entities(0, 6_000);
        VectorSchemaRoot first = entities(0, 3_000);
        VectorSchemaRoot second = entities(3_000, 6_000)) {
      List<List<Object>> inParts = new ArrayList<>(retrieve(repositoryDir, "", first));
      inParts.addAll(retrieve(repositoryDir, "", second));
      List<List<Object>> whole = retrieve(repositoryDir, "", all);
      assertThat(whole).isEqualTo(inParts).hasSize(6_000);
      assertThat(whole).filteredOn(row -> row.get(2) != null).hasSizeGreaterThan(1_000);
    }
  }

  @Test
  void entityRowsLookedUpInParallelPartsAnswerAsAScanOfTheSource() throws IOException {
    Path repositoryDir = writeSource(temp.resolve("repo"), 4_096);
    int rows = 300_000; // enough for the lookups to be split over two threads
    try (VectorSchemaRoot entities = entities(0, rows)) {
      List<List<Object>> result =
          retrieve(repositoryDir, ", batch_size: 100000", entities, List.of("hourly:trips"));
      assertThat(result).hasSize(rows);
      int answered = 0;
      for (int row = 0; row < rows; row++) {
        Long expected =
            scannedTrips((Long) result.get(row).get(0), (Instant) result.get(row).get(1));
        assertThat(result.get(row).get(2)).as("entity row %d", row).isEqualTo(expected);
        answered += expected == null ? 0 : 1;
      }
      assertThat(answered).isGreaterThan(rows / 4);
    }
  }

  /**
   * The answer by a scan of the source {@link #writeSource} writes (source row {@code i} is driver
   * {@code i % DRIVERS} at minute {@code i}, {@code i} trips): its latest row at or before {@code
   * time}, unless older than the view's TTL of 30 minutes.
   */
  private static Long scannedTrips(Long driver, Instant time) {
    if (driver == null || driver >= DRIVERS) {
      return null;
    }
    Long latest = null;
    for (int i = driver.intValue(); i < SOURCE_ROWS; i += DRIVERS) {
      Instant at = START.plus(Duration.ofMinutes(i));
      if (!at.isAfter(time)) {
        latest = at.isBefore(time.minus(Duration.ofMinutes(30))) ? null : (long) i;
      }
    }
    return latest;
  }

  @Test
  void manyBatchesEqualOneBatchAndJobsRunAgain() throws IOException {
    Path repositoryDir =
        writeSource(temp.resolve("repo"), ParquetTableWriter.DEFAULT_ROW_GROUP_BYTES);
    try (VectorSchemaRoot entities = manyEntities()) {
      List<List<Object>> single = retrieve(repositoryDir, "", entities);
      List<List<Object>> batched = retrieve(repositoryDir, ", batch_size: 7", entities);
      assertThat(batched).isEqualTo(single).hasSize(entities.getRowCount());

      try (OfflineStore store = store(repositoryDir, ", batch_size: 7");
          RetrievalJob job = store.getHistoricalFeatures(request(entities))) {
        List<Integer> batchSizes = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
          try (RecordBatchStream stream = job.stream()) {
            assertThat(stream.schema()).isEqualTo(job.schema());
            while (stream.next()) {
              batchSizes.add(stream.root().getRowCount());
            }
          }
        }
        int rows = entities.getRowCount();
        assertThat(batchSizes).hasSize(2 * ((rows + 6) / 7));
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2 * rows);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).max().orElseThrow())
            .isEqualTo(7);
        try (VectorSchemaRoot again = job.toArrow(allocator)) {
          assertThat(TableRows.of(again)).isEqualTo(single);
        }
      }
    }
  }

  @Test
  void filesOfAFolderAreReadInNameOrderAndTheLastFullTieWins() throws IOException {
    Path repositoryDir = temp.resolve("repo");
    Instant when = at("2024-01-01T10:00:00Z");
    try (VectorSchemaRoot first =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .int64("trips")
                .string("label")
                .row(1L, when, 1L, "first")
                .row(2L, when, 20L, "only")
                .build();
        VectorSchemaRoot second =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .int64("trips")
                .string("label")
                .row(1L, when, 2L, "second")
                .build()) {
      ParquetTableWriter.write(second, repositoryDir.resolve("data/stats/part-1.parquet"));
      ParquetTableWriter.write(first, repositoryDir.resolve("data/stats/part-0.parquet"));
    }
    try (VectorSchemaRoot entities =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("event_timestamp")
            .row(1L, when)
            .row(2L, when)
            .build()) {
      assertThat(retrieve(repositoryDir, "", entities))
          .containsExactly(List.of(1L, when, 2L, "second"), List.of(2L, when, 20L, "only"));
    }
  }

  /** Driver {@code i % DRIVERS} has one row a minute: row {@code i} at minute {@code i}. */
  private Path writeSource(Path repositoryDir, long rowGroupBytes) {
    TestTable table =
        TestTable.with(allocator).int64("driver_id").timestamp("ts").int64("trips").string("label");
    for (int i = 0; i < SOURCE_ROWS; i++) {
      table.row((long) (i % DRIVERS), START.plus(Duration.ofMinutes(i)), (long) i, "row-" + i);
    }
    try (VectorSchemaRoot root = table.build()) {
      ParquetTableWriter.write(
          root, repositoryDir.resolve("data/stats/part-0.parquet"), rowGroupBytes);
    }
    return repositoryDir;
  }

  /** Entity rows near the end of the source, so early row groups are out of range. */
  private VectorSchemaRoot lateEntities() {
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    for (int i = 0; i < 200; i++) {
      table.row((long) (i % (DRIVERS + 5)), START.plus(Duration.ofMinutes(4_000 + i / 2)));
    }
    return table.build();
  }

  /**
   * Entity rows {@code from} to {@code to} - 1 of one sequence: keys out of order, some null, some
   * unknown to the source, times across it and past its end.
   */
  private VectorSchemaRoot entities(int from, int to) {
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    for (int i = from; i < to; i++) {
      table.row(
          i % 11 == 0 ? null : (long) ((i * 7L) % (DRIVERS + 3)),
          START.plus(Duration.ofSeconds(61L * ((i * 13L) % 6_007))));
    }
    return table.build();
  }

  private VectorSchemaRoot manyEntities() {
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    for (int i = 0; i < 503; i++) {
      table.row(
          i % 7 == 0 ? null : (long) (i % (DRIVERS + 3)), START.plus(Duration.ofSeconds(37L * i)));
    }
    return table.build();
  }

  private List<List<Object>> retrieve(
      Path repositoryDir, String config, VectorSchemaRoot entities) {
    return retrieve(repositoryDir, config, entities, List.of("hourly:trips", "hourly:label"));
  }

  private List<List<Object>> retrieve(
      Path repositoryDir, String config, VectorSchemaRoot entities, List<String> features) {
    try (OfflineStore store = store(repositoryDir, config);
        RetrievalJob job =
            store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, features));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      return TableRows.of(result);
    }
  }

  private static HistoricalFeaturesRequest request(VectorSchemaRoot entities) {
    return HistoricalFeaturesRequest.of(entities, List.of("hourly:trips", "hourly:label"));
  }

  private OfflineStore store(Path repositoryDir, String config) {
    return new FileOfflineStoreFactory()
        .create(new OfflineStoreContext(repository(config), repositoryDir, allocator));
  }

  private static FeatureRepository repository(String config) {
    return RepositoryLoader.parse(REPOSITORY.formatted(config));
  }

  private static long micros(Instant instant) {
    return dev.flightdeck.retrieval.Timestamps.toMicros(instant);
  }
}
