package dev.flightdeck.backend.file;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.TimeRange;
import dev.flightdeck.tables.ParquetFiles;
import dev.flightdeck.tables.ParquetTableReader;
import dev.flightdeck.tables.ParquetTableWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * offline_write_batch on Parquet: whole files or none, and no lost rows under concurrent writers.
 */
class TestBatchWrites {
  private static final Instant T = at("2024-01-01T00:00:00Z");
  private static final String REPOSITORY =
      """
      project: writes
      offline_store: {type: file}
      entities:
        - {name: driver, join_keys: [driver_id]}
      data_sources:
        - {name: folder_source, path: data/events, timestamp_field: ts}
        - {name: file_source, path: data/single.parquet, timestamp_field: ts}
      feature_views:
        - name: in_folder
          entities: [driver]
          source: folder_source
          schema: [{name: trips, dtype: int64}]
        - name: in_file
          entities: [driver]
          source: file_source
          schema: [{name: trips, dtype: int64}]
      """;

  @TempDir Path repositoryDir;
  private BufferAllocator allocator;
  private OfflineStore store;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
    try (VectorSchemaRoot seed = rows(0L, 1)) {
      ParquetTableWriter.write(seed, repositoryDir.resolve("data/events/part-0.parquet"));
      ParquetTableWriter.write(seed, repositoryDir.resolve("data/single.parquet"));
    }
    store =
        new FileOfflineStoreFactory()
            .create(
                new OfflineStoreContext(
                    RepositoryLoader.parse(REPOSITORY), repositoryDir, allocator));
  }

  @AfterEach
  void close() {
    store.close();
    allocator.close();
  }

  @Test
  void concurrentWritersLoseNoRows() throws Exception {
    int writers = 8;
    int batches = 5;
    int rowsPerBatch = 10;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int writer = 0; writer < writers; writer++) {
        long base = 1_000L * (writer + 1);
        done.add(
            pool.submit(
                () -> {
                  for (int batch = 0; batch < batches; batch++) {
                    try (VectorSchemaRoot rows = rows(base + batch * rowsPerBatch, rowsPerBatch)) {
                      assertThat(store.offlineWriteBatch("in_folder", rows))
                          .isEqualTo(rowsPerBatch);
                      assertThat(store.offlineWriteBatch("in_file", rows)).isEqualTo(rowsPerBatch);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int expected = 1 + writers * batches * rowsPerBatch;
    assertThat(driverIds("folder_source")).hasSize(expected);
    assertThat(driverIds("file_source")).hasSize(expected);
    assertThat(visibleFiles(repositoryDir.resolve("data/events"))).hasSize(1 + writers * batches);
    assertThat(hiddenFiles(repositoryDir.resolve("data"))).isEmpty();
  }

  @Test
  void aWriteThatFailsHalfwayLeavesNoFile() throws Exception {
    int rows = 10_000;
    try (VectorSchemaRoot failing = failingAt(rows, 7_000)) {
      assertThatThrownBy(() -> store.offlineWriteBatch("in_folder", failing))
          .isInstanceOf(FlightdeckException.class)
          .hasMessageContaining("overflow");
    }
    assertThat(visibleFiles(repositoryDir.resolve("data/events"))).hasSize(1);
    assertThat(hiddenFiles(repositoryDir.resolve("data"))).isEmpty();
    assertThat(driverIds("folder_source")).containsExactly(0L);
  }

  /**
   * A file written by pandas holds naive nanosecond timestamps; appending to it keeps that type
   * (unit and UTC flag) and the old values exactly, instead of rewriting it as UTC microseconds.
   */
  @Test
  void appendingKeepsTheStoredTimestampType() throws Exception {
    MessageType naiveNanos =
        Types.buildMessage()
            .optional(PrimitiveTypeName.INT64)
            .named("driver_id")
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.NANOS))
            .named("ts")
            .optional(PrimitiveTypeName.INT64)
            .named("trips")
            .named("schema");
    Path file = repositoryDir.resolve("data/single.parquet");
    try (VectorSchemaRoot seed = rows(0L, 1);
        ParquetTableWriter writer =
            ParquetTableWriter.open(
                seed.getSchema(), naiveNanos, file, ParquetTableWriter.DEFAULT_ROW_GROUP_BYTES)) {
      writer.write(seed);
      writer.commit();
    }

    try (VectorSchemaRoot more = rows(7L, 2)) {
      assertThat(store.offlineWriteBatch("in_file", more)).isEqualTo(2);
    }

    try (ParquetFileReader reader = ParquetFiles.open(file)) {
      assertThat(reader.getFooter().getFileMetaData().getSchema()).isEqualTo(naiveNanos);
    }
    assertThat(driverIds("file_source")).containsExactly(0L, 7L, 8L);
    try (VectorSchemaRoot read = ParquetTableReader.read(file, allocator)) {
      assertThat(TableRows.of(read)).extracting(row -> row.get(1)).containsOnly(T);
    }
  }

  /** {@code count} rows for drivers {@code first..first+count-1}, one trip each. */
  private VectorSchemaRoot rows(long first, int count) {
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("ts").int64("trips");
    for (int i = 0; i < count; i++) {
      table.row(first + i, T, 1L);
    }
    return table.build();
  }

  /**
   * A table whose row {@code failAt} has a timestamp in seconds too large for microseconds: the
   * writer fails on it after writing the rows before it.
   */
  private VectorSchemaRoot failingAt(int rows, int failAt) {
    BigIntVector ids = new BigIntVector("driver_id", allocator);
    TimeStampSecTZVector ts = new TimeStampSecTZVector("ts", allocator, "UTC");
    BigIntVector trips = new BigIntVector("trips", allocator);
    for (int row = 0; row < rows; row++) {
      ids.setSafe(row, 100_000L + row);
      ts.setSafe(row, row == failAt ? Long.MAX_VALUE : 0L);
      trips.setSafe(row, 1L);
    }
    List<FieldVector> vectors = List.of(ids, ts, trips);
    vectors.forEach(vector -> vector.setValueCount(rows));
    return new VectorSchemaRoot(vectors);
  }

  private List<Long> driverIds(String source) {
    PullRequest all =
        new PullRequest(
            source, List.of("driver_id"), List.of("trips"), "ts", Optional.empty(), TimeRange.ALL);
    try (RetrievalJob job = store.pullAllFromTableOrQuery(all);
        VectorSchemaRoot table = job.toArrow(allocator)) {
      List<Long> ids = new ArrayList<>();
      TableRows.of(table).forEach(row -> ids.add((Long) row.get(0)));
      assertThat(new HashSet<>(ids)).as("distinct ids in " + source).hasSize(ids.size());
      return ids;
    }
  }

  private static List<Path> visibleFiles(Path folder) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(file -> !file.getFileName().toString().startsWith(".")).toList();
    }
  }

  private static List<Path> hiddenFiles(Path folder) throws Exception {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(file -> file.getFileName().toString().startsWith(".")).toList();
    }
  }
}
