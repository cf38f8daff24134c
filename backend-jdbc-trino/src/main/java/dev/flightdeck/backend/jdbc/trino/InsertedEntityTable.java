package dev.flightdeck.backend.jdbc.trino;

import dev.flightdeck.backend.jdbc.EntityRows;
import dev.flightdeck.backend.jdbc.EntityTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity rows in a table made for one job (in {@code entity_schema}, or the URL's schema) and
 * filled by multi-row INSERTs; dropped when the job ends, and at once when filling it fails.
 */
final class InsertedEntityTable implements EntityTable {
  private static final Logger log = LoggerFactory.getLogger(InsertedEntityTable.class);

  private final String relation;

  private InsertedEntityTable(String relation) {
    this.relation = relation;
  }

  static EntityTable create(
      TrinoDialect dialect, Connection connection, EntityRows rows, Optional<String> schema)
      throws SQLException {
    String relation =
        schema
            .map(s -> rows.names().table(s + "." + rows.table(), "entity table"))
            .orElse(rows.quotedTable());
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE " + relation + " (" + rows.columnDefinitions(dialect::sqlType) + ")");
    }
    InsertedEntityTable table = new InsertedEntityTable(relation);
    try {
      dialect
          .rowLoader()
          .load(connection, relation, rows.quotedColumns(), rows.vectors(), rows.rowCount());
      return table;
    } catch (SQLException | RuntimeException e) {
      table.drop(connection);
      throw e;
    }
  }

  @Override
  public String relation() {
    return relation;
  }

  @Override
  public void drop(Connection connection) {
    drop(connection, relation);
  }

  /** Drops {@code relation} if it exists; a failure is logged, not thrown: the job is ending. */
  static void drop(Connection connection, String relation) {
    try (Statement statement = connection.createStatement()) {
      statement.execute("DROP TABLE IF EXISTS " + relation);
    } catch (SQLException e) {
      log.warn("could not drop entity table {}: {}", relation, e.getMessage());
    }
  }
}
