package dev.flightdeck.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** DuckDB connections for the bench, all in UTC whatever the machine's zone. */
final class DuckDbConnections {
  private DuckDbConnections() {}

  /** An in-memory database of its own. */
  static Connection inMemory() throws SQLException {
    return utc(DriverManager.getConnection("jdbc:duckdb:"));
  }

  /**
   * The database in {@code url}'s file; closing the connection closes the file, so a server in
   * another process can open it next (DuckDB lets one process write a file at a time).
   */
  static Connection open(String url) throws SQLException {
    return utc(DriverManager.getConnection(url));
  }

  static String version(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        var result = statement.executeQuery("SELECT version()")) {
      result.next();
      return result.getString(1);
    }
  }

  private static Connection utc(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TimeZone = 'UTC'");
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
    return connection;
  }
}
