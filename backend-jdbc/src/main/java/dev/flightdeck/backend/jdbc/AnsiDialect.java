package dev.flightdeck.backend.jdbc;

import java.sql.Connection;

/**
 * Any other database: standard SQL only. The session time zone is left as the database has it, so
 * its timestamps should be stored in UTC.
 */
final class AnsiDialect implements Dialect {
  @Override
  public String name() {
    return "ansi";
  }

  @Override
  public void setUp(Connection connection) {
    // No portable way to set a session time zone.
  }

  @Override
  public String createTemporaryTable(String quotedName, String columns) {
    return "CREATE LOCAL TEMPORARY TABLE "
        + quotedName
        + " ("
        + columns
        + ") ON COMMIT PRESERVE ROWS";
  }
}
