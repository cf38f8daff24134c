package dev.flightdeck.backend.file;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetTableWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every supported type written by {@link ParquetTableWriter} and read back by the store, with
 * nulls.
 */
class TestParquetTableWriter {
  private static final String REPOSITORY =
      """
      project: round_trip
      offline_store: {type: file}
      entities:
        - {name: thing, join_keys: [id]}
      data_sources:
        - {name: things, path: data/things.parquet, timestamp_field: ts}
      feature_views:
        - name: all_types
          entities: [thing]
          source: things
          schema:
            - {name: i32, dtype: int32}
            - {name: i64, dtype: int64}
            - {name: f32, dtype: float32}
            - {name: f64, dtype: float64}
            - {name: text, dtype: string}
            - {name: flag, dtype: bool}
            - {name: blob, dtype: bytes}
            - {name: seconds, dtype: timestamp}
            - {name: millis, dtype: timestamp}
            - {name: nanos, dtype: timestamp}
      """;

  @TempDir Path repositoryDir;
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
  void everyTypeRoundTripsWithNulls() {
    TestTable things =
        TestTable.with(allocator)
            .int64("id")
            .timestamp("ts", TimeUnit.NANOSECOND, null)
            .int32("i32")
            .int64("i64")
            .float32("f32")
            .float64("f64")
            .string("text")
            .bool("flag")
            .bytes("blob")
            .timestamp("seconds", TimeUnit.SECOND, "UTC")
            .timestamp("millis", TimeUnit.MILLISECOND, "Europe/Paris")
            .timestamp("nanos", TimeUnit.NANOSECOND, null)
            .row(
                1L,
                at("2024-01-01T10:00:00Z"),
                -7,
                Long.MAX_VALUE,
                1.5f,
                -2.25,
                "héllo",
                true,
                new byte[] {0, 1, -1},
                at("2024-01-01T00:00:01Z"),
                at("1969-12-31T23:59:59.999Z"),
                at("2024-02-29T12:00:00.123456Z"))
            .row(
                2L,
                at("2024-01-01T10:00:00Z"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    try (VectorSchemaRoot table = things.build()) {
      ParquetTableWriter.write(table, repositoryDir.resolve("data/things.parquet"));
    }

    List<String> features =
        Stream.of("i32", "i64", "f32", "f64", "text", "flag", "blob", "seconds", "millis", "nanos")
            .map(name -> "all_types:" + name)
            .toList();
    try (OfflineStore store =
            new FileOfflineStoreFactory()
                .create(
                    new OfflineStoreContext(
                        RepositoryLoader.parse(REPOSITORY), repositoryDir, allocator));
        VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("id")
                .timestamp("event_timestamp")
                .row(1L, at("2024-01-02T00:00:00Z"))
                .row(2L, at("2024-01-02T00:00:00Z"))
                .build();
        RetrievalJob job =
            store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, features));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(TableRows.of(result))
          .containsExactly(
              Arrays.asList(
                  1L,
                  at("2024-01-02T00:00:00Z"),
                  -7,
                  Long.MAX_VALUE,
                  1.5f,
                  -2.25,
                  "héllo",
                  true,
                  List.of((byte) 0, (byte) 1, (byte) -1),
                  at("2024-01-01T00:00:01Z"),
                  at("1969-12-31T23:59:59.999Z"),
                  at("2024-02-29T12:00:00.123456Z")),
              Arrays.asList(
                  2L,
                  at("2024-01-02T00:00:00Z"),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null));
      assertThat(result.getSchema().findField("nanos").getType())
          .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
    }
  }

  @Test
  void timestampsAreStoredAsUtcMicros() throws IOException {
    Path file = repositoryDir.resolve("ts.parquet");
    try (VectorSchemaRoot table =
        TestTable.with(allocator)
            .timestamp("ts", TimeUnit.MILLISECOND, null)
            .row(at("2024-01-01T00:00:00Z"))
            .build()) {
      ParquetTableWriter.write(table, file);
    }
    try (ParquetFileReader reader =
        ParquetFileReader.open(new LocalInputFile(file), ParquetReadOptions.builder().build())) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      assertThat(schema.getType("ts").toString())
          .isEqualTo("optional int64 ts (TIMESTAMP(MICROS,true))");
    }
  }

  @Test
  void replacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    Path file = repositoryDir.resolve("data/x.parquet");
    try (VectorSchemaRoot first = TestTable.with(allocator).int64("a").row(1L).build();
        VectorSchemaRoot second = TestTable.with(allocator).int64("a").row(1L).row(2L).build()) {
      ParquetTableWriter.write(first, file);
      ParquetTableWriter.write(second, file);
    }
    try (Stream<Path> files = Files.list(file.getParent());
        ParquetFileReader reader =
            ParquetFileReader.open(
                new LocalInputFile(file), ParquetReadOptions.builder().build())) {
      assertThat(files).containsExactly(file);
      assertThat(reader.getRecordCount()).isEqualTo(2);
    }
  }

  @Test
  void unsupportedTypesAreRefusedByName() throws IOException {
    try (VectorSchemaRoot table =
        TestTable.with(allocator).column("small", new ArrowType.Int(16, true)).build()) {
      assertThatThrownBy(() -> ParquetTableWriter.write(table, repositoryDir.resolve("x.parquet")))
          .isInstanceOf(FlightdeckException.class)
          .hasMessageContaining("column 'small'");
    }
    try (Stream<Path> files = Files.list(repositoryDir)) {
      assertThat(files).isEmpty();
    }
  }

  /** A DATE column reads as midnight UTC, as the JDBC backend reads a SQL DATE. */
  @Test
  void dateTimestampFieldsAreMidnightUtc() throws Exception {
    Files.writeString(
        repositoryDir.resolve("feature_store.yaml"),
        """
        project: dates
        offline_store: {type: file}
        entities:
          - {name: thing, join_keys: [id]}
        data_sources:
          - {name: daily, path: data/daily.parquet, timestamp_field: day}
        feature_views:
          - {name: daily, entities: [thing], source: daily, schema: [{name: v, dtype: int64}]}
        """);
    try (VectorSchemaRoot daily =
        TestTable.with(allocator)
            .int64("id")
            .column("day", new ArrowType.Date(DateUnit.DAY))
            .int64("v")
            .row(1L, LocalDate.parse("2024-01-01"), 1L)
            .row(1L, LocalDate.parse("2024-01-02"), 2L)
            .build()) {
      ParquetTableWriter.write(daily, repositoryDir.resolve("data/daily.parquet"));
    }
    try (OfflineStore store =
            new FileOfflineStoreFactory()
                .create(
                    new OfflineStoreContext(
                        RepositoryLoader.load(repositoryDir), repositoryDir, allocator));
        VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("id")
                .timestamp("event_timestamp")
                .row(1L, at("2024-01-01T23:59:59.999999Z"))
                .row(1L, at("2024-01-02T00:00:00Z"))
                .build();
        RetrievalJob job =
            store.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("daily:v")));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(TableRows.of(result))
          .containsExactly(
              Arrays.asList(1L, at("2024-01-01T23:59:59.999999Z"), 1L),
              Arrays.asList(1L, at("2024-01-02T00:00:00Z"), 2L));
    }
  }
}
