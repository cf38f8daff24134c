package dev.flightdeck.backend.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * DuckDB: {@code BLOB} for bytes; its session time zone setting needs the ICU extension, so plain
 * {@code TIMESTAMP} columns (UTC by convention) are all it relies on. A {@code query} source may
 * read Parquet with {@code read_parquet}.
 */
final class DuckDbDialect implements Dialect {
  @Override
  public String name() {
    return "duckdb";
  }

  @Override
  public void setUp(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
    } catch (SQLException e) {
      // Without ICU there is no session zone to set; timestamps are then zone-less already.
    }
  }

  @Override
  public String sqlType(ArrowType type) {
    return type instanceof ArrowType.Binary ? "BLOB" : SqlTypes.ansi(type);
  }
}
