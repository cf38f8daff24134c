package dev.flightdeck.backend.jdbc;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * What differs between databases, kept small: session set-up, temporary tables, column types, and
 * how entity rows are loaded. Everything else is ANSI SQL that PostgreSQL, DuckDB and H2 share.
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

  /** Loads rows into a table: batched inserts unless the database has something faster. */
  default RowLoader rowLoader() {
    return new BatchInsertLoader();
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
