package dev.flightdeck.backend.jdbc;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

/** Small helpers every statement needs. */
final class JdbcStatements {
  private JdbcStatements() {}

  /** Sets the statement timeout where the driver supports one. */
  static void timeout(Statement statement, int seconds) throws SQLException {
    try {
      statement.setQueryTimeout(seconds);
    } catch (SQLFeatureNotSupportedException e) {
      // This driver cannot bound a statement's time; the pool's wait is still bounded.
    }
  }
}
