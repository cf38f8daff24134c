package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;

/**
 * The entity table is filled outside the queries' transaction, so nothing rolls it back: one that
 * fails to fill is dropped at once, and the session can go on.
 */
class TestTemporaryEntityTable {
  @Test
  void aTableThatFailsToFillIsDropped() throws SQLException {
    SqlNames names = new SqlNames("\"");
    String table = EntityRows.newTableName(Instant.now());
    try (BufferAllocator allocator = new RootAllocator();
        Connection connection = DriverManager.getConnection("jdbc:h2:mem:fill");
        BigIntVector rows = new BigIntVector("fd_row", allocator)) {
      rows.allocateNew(3);
      for (int row = 0; row < 3; row++) {
        rows.set(row, row);
      }
      rows.setValueCount(3);
      EntityRows entityRows =
          new EntityRows(
              table,
              names.quote(table, "table"),
              names,
              List.of(new EntityRows.Column("fd_row", names.quote("fd_row", "column"), rows)),
              List.of(),
              3);

      assertThatThrownBy(
              () -> TemporaryEntityTable.create(new FailingLoads(), connection, entityRows))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("the connection dropped half-way");
      assertThat(tablesNamed(connection, table)).as("left behind").isZero();

      // The same rows through a loader that works: the name is free again.
      EntityTable filled = TemporaryEntityTable.create(new H2Dialect(), connection, entityRows);
      assertThat(tablesNamed(connection, table)).isEqualTo(1);
      filled.drop(connection);
    }
  }

  private static long tablesNamed(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = '"
                    + table
                    + "'")) {
      result.next();
      return result.getLong(1);
    }
  }

  /** H2, with a loader that inserts a row and then fails, as a dropped connection would. */
  private static final class FailingLoads implements Dialect {
    private final H2Dialect h2 = new H2Dialect();

    @Override
    public String name() {
      return "h2";
    }

    @Override
    public String createTemporaryTable(String quotedName, String columns) {
      return h2.createTemporaryTable(quotedName, columns);
    }

    @Override
    public String sqlType(ArrowType type) {
      return h2.sqlType(type);
    }

    @Override
    public RowLoader temporaryTableLoader(String table) {
      return (connection, quotedTable, quotedColumns, columns, rowCount) -> {
        try (Statement statement = connection.createStatement()) {
          statement.execute("INSERT INTO " + quotedTable + " VALUES (0)");
        }
        throw new SQLException("the connection dropped half-way");
      };
    }
  }
}
