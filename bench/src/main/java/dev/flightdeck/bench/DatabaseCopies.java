package dev.flightdeck.bench;

import dev.flightdeck.bench.BenchSchema.Feature;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The generated Parquet rows copied into databases for the JDBC backend: the source as table {@code
 * driver_stats} with its timestamps as {@code TIMESTAMP} (UTC, the type the JDBC backend gives its
 * own tables), and in DuckDB also the entity rows as table {@code entities} with their row number,
 * for DuckDB's own join on the same tables.
 */
final class DatabaseCopies {
  static final String ENTITIES = "entities";
  static final String ROW_ID = "row_id";

  private DatabaseCopies() {}

  /** Creates a DuckDB database file holding the source and the entity rows. */
  static void toDuckDb(String url, Path source, Path entities) throws SQLException {
    try (Connection connection = DuckDbConnections.open(url);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE "
              + BenchSchema.TABLE
              + " AS SELECT "
              + sourceColumns()
              + " FROM read_parquet("
              + DuckDbAsofJoin.literal(source)
              + ")");
      statement.execute(
          "CREATE TABLE "
              + ENTITIES
              + " AS SELECT file_row_number AS "
              + ROW_ID
              + ", "
              + BenchSchema.KEY
              + ", "
              + BenchSchema.EVENT_TIMESTAMP
              + "::TIMESTAMP AS "
              + BenchSchema.EVENT_TIMESTAMP
              + " FROM read_parquet("
              + DuckDbAsofJoin.literal(entities)
              + ", file_row_number = true)");
      statement.execute("CHECKPOINT");
    }
  }

  /** The first {@code rows} entity rows of the DuckDB copy, as a relation. */
  static String duckDbEntities(int rows) {
    return "(SELECT "
        + BenchSchema.KEY
        + ", "
        + BenchSchema.EVENT_TIMESTAMP
        + " FROM "
        + ENTITIES
        + " WHERE "
        + ROW_ID
        + " < "
        + rows
        + ")";
  }

  /**
   * Loads the source into PostgreSQL with COPY (through a CSV file DuckDB writes), then indexes it
   * by key and time, as a table queried by key and time would be, and analyses it.
   */
  static void toPostgres(Connection connection, Path source, Path scratch)
      throws SQLException, IOException {
    Path csv = scratch.resolve(BenchSchema.TABLE + ".csv");
    try (Connection duckDb = DuckDbConnections.inMemory();
        Statement statement = duckDb.createStatement()) {
      statement.execute(
          "COPY (SELECT "
              + sourceColumns()
              + " FROM read_parquet("
              + DuckDbAsofJoin.literal(source)
              + ")) TO "
              + DuckDbAsofJoin.literal(csv)
              + " (FORMAT csv, HEADER false)");
    }
    List<String> columns = new ArrayList<>();
    columns.add(BenchSchema.KEY + " BIGINT");
    columns.add(BenchSchema.EVENT_TIMESTAMP + " TIMESTAMP");
    columns.add(BenchSchema.CREATED + " TIMESTAMP");
    for (Feature feature : Feature.values()) {
      columns.add(feature.column + " " + feature.sqlType);
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE " + BenchSchema.TABLE + " (" + String.join(", ", columns) + ")");
    }
    try (Reader rows = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      new CopyManager(connection.unwrap(BaseConnection.class))
          .copyIn("COPY " + BenchSchema.TABLE + " FROM STDIN (FORMAT csv)", rows);
    } finally {
      Files.deleteIfExists(csv);
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE INDEX "
              + BenchSchema.TABLE
              + "_key_time ON "
              + BenchSchema.TABLE
              + " ("
              + BenchSchema.KEY
              + ", "
              + BenchSchema.EVENT_TIMESTAMP
              + ")");
      statement.execute("ANALYZE " + BenchSchema.TABLE);
    }
  }

  /** The source's columns with its timestamps made zone-less UTC. */
  private static String sourceColumns() {
    List<String> columns = new ArrayList<>();
    columns.add(BenchSchema.KEY);
    columns.add(BenchSchema.EVENT_TIMESTAMP + "::TIMESTAMP AS " + BenchSchema.EVENT_TIMESTAMP);
    columns.add(BenchSchema.CREATED + "::TIMESTAMP AS " + BenchSchema.CREATED);
    for (Feature feature : Feature.values()) {
      columns.add(feature.column);
    }
    return String.join(", ", columns);
  }
}
