package dev.flightdeck.backend.jdbc;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * What differs between databases, kept small: session set-up, temporary tables, column types, how
 * entity rows are loaded, the point-in-time join's SQL and how results are read. Everything else is
 * ANSI SQL that PostgreSQL, DuckDB and H2 share; each default here is the portable way.
 */
interface Dialect {
  String name();

  /** Runs once on each new connection: timestamps without a zone are UTC. */
  default void setUp(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TIME ZONE 'UTC'");
    }
  }

  /** DDL for a table only this session sees, dropped with the session or by the caller. */
  default String createTemporaryTable(String quotedName, String columns) {
    return "CREATE TEMPORARY TABLE " + quotedName + " (" + columns + ")";
  }

  /** The SQL column type a value of {@code type} is stored in, for tables Flightdeck creates. */
  default String sqlType(ArrowType type) {
    return SqlTypes.ansi(type);
  }

  /**
   * Loads rows into the session's temporary table {@code table} (its plain name, as made by {@link
   * #createTemporaryTable}): batched inserts unless the database has something faster.
   */
  default RowLoader temporaryTableLoader(String table) {
    return new BatchInsertLoader();
  }

  /**
   * Whether the entity table gets an index on its join keys, so that a join driven from the source
   * can probe it; a dialect whose join is driven from the entity rows does without.
   */
  default boolean indexesEntityTable() {
    return true;
  }

  /**
   * Whether {@link #pointInTimeSql} looks at {@link PointInTimeQuery#sourceIndexed()}; finding out
   * costs a metadata query, so it is only asked for when it matters.
   */
  default boolean choosesByIndexes() {
    return false;
  }

  /** The point-in-time join of one view: by default standard SQL that ranks every candidate. */
  default String pointInTimeSql(PointInTimeQuery query) {
    return query.ranked();
  }

  /**
   * Reads a query's result as Arrow batches of {@code batchSize} rows, each column as {@code types}
   * says (null: the served type of its SQL type): by default through {@code arrow-jdbc}.
   */
  default ResultBatches resultBatches(
      ResultSet resultSet, List<ArrowType> types, BufferAllocator allocator, int batchSize)
      throws SQLException {
    return new JdbcResultBatches(resultSet, types, allocator, batchSize);
  }

  /** The dialect of a JDBC URL: PostgreSQL, DuckDB, H2, or the ANSI fallback. */
  static Dialect forUrl(String url) {
    if (url.startsWith("jdbc:postgresql:")) {
      return new PostgresDialect();
    }
    if (url.startsWith("jdbc:duckdb:")) {
      if (url.equals("jdbc:duckdb:") || url.equals("jdbc:duckdb::memory:")) {
        // Each pooled connection would open its own empty database.
        throw new FlightdeckException(
            ErrorCode.INVALID_CONFIGURATION,
            "offline_store.url '"
                + url
                + "' is a private in-memory DuckDB per connection; use a database file or a"
                + " named one: jdbc:duckdb:memory:<name>");
      }
      return new DuckDbDialect();
    }
    if (url.startsWith("jdbc:h2:")) {
      return new H2Dialect();
    }
    return new AnsiDialect();
  }
}
