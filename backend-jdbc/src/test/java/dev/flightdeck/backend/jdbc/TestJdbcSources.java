package dev.flightdeck.backend.jdbc;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.TimeRange;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query sources (DuckDB reading Parquet), and names that try to change a statement. */
class TestJdbcSources {
  @TempDir Path folder;
  private BufferAllocator allocator;
  private String url;
  private Connection keepAlive;

  @BeforeEach
  void open() throws Exception {
    allocator = new RootAllocator();
    url = "jdbc:duckdb:memory:" + UUID.randomUUID().toString().replace("-", "");
    keepAlive = DriverManager.getConnection(url);
    try (VectorSchemaRoot stats =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .float32("conv_rate")
            .row(1L, at("2024-01-01T10:00:00Z"), 0.5f)
            .row(1L, at("2024-01-01T11:00:00Z"), 0.6f)
            .build()) {
      DatabaseTables.create(url, new Properties(), "stats", stats);
    }
    try (Statement statement = keepAlive.createStatement()) {
      statement.execute("COPY stats TO '" + folder.resolve("stats.parquet") + "' (FORMAT PARQUET)");
    }
  }

  @AfterEach
  void close() throws Exception {
    keepAlive.close();
    allocator.close();
  }

  @Test
  void aQuerySourceReadsParquetThroughDuckDb() {
    try (OfflineStore store =
            store(
                "query: \"SELECT * FROM read_parquet('"
                    + folder.resolve("stats.parquet")
                    + "')\"");
        VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(1L, at("2024-01-01T10:30:00Z"))
                .build();
        RetrievalJob job =
            store.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("stats_view:conv_rate")));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(TableRows.of(result))
          .containsExactly(List.of(1L, at("2024-01-01T10:30:00Z"), 0.5f));
      try (VectorSchemaRoot rows = TestTable.with(allocator).int64("driver_id").build()) {
        assertThatThrownBy(() -> store.offlineWriteBatch("stats_view", rows))
            .isInstanceOfSatisfying(
                FlightdeckException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
            .hasMessageContaining("writes need a table");
      }
    }
  }

  @Test
  void namesThatWouldChangeTheStatementAreRefused() {
    assertThatThrownBy(() -> store("table: \"stats; DROP TABLE stats\""))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
        .hasMessageContaining("not a plain SQL identifier");

    try (OfflineStore store = store("table: stats")) {
      PullRequest injected =
          new PullRequest(
              "stats_source",
              List.of("driver_id"),
              List.of("conv_rate\" FROM stats; DROP TABLE stats; --"),
              "ts",
              Optional.empty(),
              TimeRange.ALL);
      assertThatThrownBy(() -> store.pullAllFromTableOrQuery(injected))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_COLUMN));
      try (VectorSchemaRoot rows = badlyNamed()) {
        assertThatThrownBy(() -> store.offlineWriteBatch("stats_view", rows))
            .isInstanceOfSatisfying(
                FlightdeckException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH));
      }
      PullRequest intact =
          new PullRequest(
              "stats_source",
              List.of("driver_id"),
              List.of("conv_rate"),
              "ts",
              Optional.empty(),
              TimeRange.ALL);
      try (RetrievalJob job = store.pullAllFromTableOrQuery(intact);
          VectorSchemaRoot rows = job.toArrow(allocator)) {
        assertThat(rows.getRowCount()).isEqualTo(2); // the table is still there
      }
    }
  }

  @Test
  void persistNeedsNoSecondConnection() {
    try (OfflineStore store = store("table: stats", ", pool_size: 1");
        RetrievalJob job =
            store.pullAllFromTableOrQuery(
                new PullRequest(
                    "stats_source",
                    List.of("driver_id"),
                    List.of("conv_rate"),
                    "ts",
                    Optional.empty(),
                    TimeRange.ALL))) {
      assertThat(job.persist("stats_copy", false)).isEqualTo(2);
      assertThatThrownBy(() -> job.persist("stats_copy", false))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.DESTINATION_EXISTS));
      assertThat(job.persist("stats_copy", true)).isEqualTo(2);
    }
  }

  private VectorSchemaRoot badlyNamed() {
    return TestTable.with(allocator).int64("driver_id\"; DROP TABLE stats; --").build();
  }

  private OfflineStore store(String location) {
    return store(location, "");
  }

  private OfflineStore store(String location, String settings) {
    String yaml =
        """
        project: sources
        offline_store: {type: jdbc, url: "%s"%s}
        entities: [{name: driver, join_keys: [driver_id]}]
        data_sources:
          - {name: stats_source, %s, timestamp_field: ts}
        feature_views:
          - {name: stats_view, entities: [driver], source: stats_source, schema: [{name: conv_rate, dtype: float32}]}
        """
            .formatted(url, settings, location);
    return new JdbcOfflineStoreFactory()
        .create(new OfflineStoreContext(RepositoryLoader.parse(yaml), folder, allocator));
  }
}
