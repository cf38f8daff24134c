package dev.flightdeck.backend.file;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetTableWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks the store makes on each source's Parquet footers when it is created. */
class TestSourceSchema {
  private static final String REPOSITORY =
      """
      project: schema_checks
      offline_store: {type: file}
      entities:
        - {name: driver, join_keys: [driver_id]}
      data_sources:
        - {name: stats, path: data/stats.parquet, timestamp_field: ts, created_timestamp_column: created}
      feature_views:
        - name: driver_hourly_stats
          entities: [driver]
          source: stats
          schema:
            - {name: conv_rate, dtype: float32}
            - {name: trips, dtype: int64}
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
  void matchingSourceIsAccepted() {
    write(
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate")
            .int64("trips"));

    createStore(REPOSITORY).close();
  }

  @Test
  void missingFeatureColumnIsNamed() {
    write(
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate"));

    assertRefused(
        REPOSITORY,
        "feature view 'driver_hourly_stats': feature column 'trips' is missing from data/stats.parquet");
  }

  @Test
  void wrongFeatureTypeIsNamed() {
    write(
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float64("conv_rate")
            .int64("trips"));

    assertRefused(
        REPOSITORY,
        "feature view 'driver_hourly_stats': column 'conv_rate' in data/stats.parquet is DOUBLE, but the schema declares float32");
  }

  @Test
  void timestampColumnsMustBeTimestamps() {
    write(
        TestTable.with(allocator)
            .int64("driver_id")
            .int64("ts")
            .timestamp("created")
            .float32("conv_rate")
            .int64("trips"));

    assertRefused(
        REPOSITORY,
        "timestamp_field column 'ts' in data/stats.parquet is INT64; it must be a Parquet timestamp");
  }

  @Test
  void createdTimestampColumnMustExist() {
    write(
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .float32("conv_rate")
            .int64("trips"));

    assertRefused(REPOSITORY, "created_timestamp_column column 'created' is missing");
  }

  @Test
  void joinKeysMustBeIntegersOrStrings() {
    write(
        TestTable.with(allocator)
            .float64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate")
            .int64("trips"));

    assertRefused(REPOSITORY, "join key 'driver_id' in data/stats.parquet is DOUBLE");
  }

  @Test
  void joinKeysAreLookedUpAfterFieldMapping() {
    write(
        TestTable.with(allocator)
            .int64("driver")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate")
            .int64("trips"));
    String mapped =
        REPOSITORY.replace(
            "created_timestamp_column: created}",
            "created_timestamp_column: created, field_mapping: {driver: driver_id}}");

    createStore(mapped).close();
    assertRefused(REPOSITORY, "join key column 'driver_id' is missing");
  }

  @Test
  void nestedColumnsAreRefusedClearly() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            """
        message stats {
          optional int64 driver_id;
          optional int64 ts (TIMESTAMP(MICROS,true));
          optional int64 created (TIMESTAMP(MICROS,true));
          optional float conv_rate;
          optional group trips { optional int64 value; }
        }
        """);
    writeGroups(schema, List.of());

    assertRefused(
        REPOSITORY, "feature column 'trips' in data/stats.parquet is nested (optional group trips");
  }

  @Test
  void int96TimestampsAndInt32KeysAreReadAndJoined() throws IOException {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            """
        message stats {
          required int32 driver_id;
          optional int96 ts;
          optional int96 created;
          optional float conv_rate;
          optional int64 trips;
        }
        """);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    // 2024-01-01 is Julian day 2460311; 10:00 is 36,000 s into the day.
    Group row =
        groups
            .newGroup()
            .append("driver_id", 1)
            .append("ts", new NanoTime(2_460_311, 36_000L * 1_000_000_000L).toBinary())
            .append("created", new NanoTime(2_460_311, 36_000L * 1_000_000_000L).toBinary())
            .append("conv_rate", 0.5f)
            .append("trips", 5L);
    writeGroups(schema, List.of(row));

    try (OfflineStore store = createStore(REPOSITORY);
        VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(1L, at("2024-01-01T09:59:59Z"))
                .row(1L, at("2024-01-01T10:00:00Z"))
                .build();
        RetrievalJob job =
            store.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("driver_hourly_stats:trips")));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(TableRows.of(result))
          .containsExactly(
              Arrays.asList(1L, at("2024-01-01T09:59:59Z"), null),
              Arrays.asList(1L, at("2024-01-01T10:00:00Z"), 5L));
    }
  }

  @Test
  void stringEntityKeyAgainstIntegerSourceKeyIsRefused() {
    write(
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate")
            .int64("trips"));

    try (OfflineStore store = createStore(REPOSITORY);
        VectorSchemaRoot entities =
            TestTable.with(allocator)
                .string("driver_id")
                .timestamp("event_timestamp")
                .row("1", at("2024-01-01T10:00:00Z"))
                .build()) {
      assertThatThrownBy(
              () ->
                  store.getHistoricalFeatures(
                      HistoricalFeaturesRequest.of(entities, List.of("driver_hourly_stats:trips"))))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ENTITY_TABLE))
          .hasMessageContaining("entity table column 'driver_id' is string, but")
          .hasMessageContaining("stores it as an integer");
    }
  }

  private void write(TestTable table) {
    try (VectorSchemaRoot root = table.build()) {
      ParquetTableWriter.write(root, repositoryDir.resolve("data/stats.parquet"));
    }
  }

  private void writeGroups(MessageType schema, List<Group> rows) throws IOException {
    Path file = repositoryDir.resolve("data/stats.parquet");
    java.nio.file.Files.createDirectories(file.getParent());
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema).build()) {
      for (Group row : rows) {
        writer.write(row);
      }
    }
  }

  private OfflineStore createStore(String repositoryYaml) {
    FeatureRepository repository = RepositoryLoader.parse(repositoryYaml);
    return new FileOfflineStoreFactory()
        .create(new OfflineStoreContext(repository, repositoryDir, allocator));
  }

  private void assertRefused(String repositoryYaml, String message) {
    assertThatThrownBy(() -> createStore(repositoryYaml).close())
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPOSITORY))
        .hasMessageContaining(message);
  }
}
