package dev.flightdeck.backend.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The entity rows in a temporary table of the job's session, as most databases have them: made by
 * the dialect's DDL, filled by its loader, indexed on the join keys where the dialect asks for it.
 */
final class TemporaryEntityTable implements EntityTable {
  private final String quotedTable;

  private TemporaryEntityTable(String quotedTable) {
    this.quotedTable = quotedTable;
  }

  static EntityTable create(Dialect dialect, Connection connection, EntityRows rows)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          dialect.createTemporaryTable(
              rows.quotedTable(), rows.columnDefinitions(dialect::sqlType)));
    }
    TemporaryEntityTable table = new TemporaryEntityTable(rows.quotedTable());
    try {
      fill(dialect, connection, rows);
    } catch (SQLException | RuntimeException e) {
      table.drop(connection); // made outside a transaction: nothing rolls it back
      throw e;
    }
    return table;
  }

  private static void fill(Dialect dialect, Connection connection, EntityRows rows)
      throws SQLException {
    dialect
        .temporaryTableLoader(rows.table())
        .load(
            connection, rows.quotedTable(), rows.quotedColumns(), rows.vectors(), rows.rowCount());
    if (dialect.indexesEntityTable() && !rows.keys().isEmpty()) {
      // An index lets the database drive the join from the (usually smaller) source side and
      // probe the entity rows, instead of comparing every pair.
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE INDEX "
                + rows.names().quote(rows.table() + "_keys", "index")
                + " ON "
                + rows.quotedTable()
                + " ("
                + String.join(", ", rows.keys())
                + ")");
      }
    }
  }

  @Override
  public String relation() {
    return quotedTable;
  }

  @Override
  public void drop(Connection connection) {
    try (Statement drop = connection.createStatement()) {
      drop.execute("DROP TABLE IF EXISTS " + quotedTable);
    } catch (SQLException e) {
      // Gone already: a rolled-back transaction or the session's end takes it along.
    }
  }
}
