package dev.flightdeck.backend.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.vector.FieldVector;

/** Loads the rows of Arrow columns into a database table, column for column. */
public interface RowLoader {
  /**
   * Inserts every row of {@code columns} into {@code quotedTable}'s {@code quotedColumns}, on the
   * caller's connection and transaction.
   */
  void load(
      Connection connection,
      String quotedTable,
      List<String> quotedColumns,
      List<FieldVector> columns,
      int rowCount)
      throws SQLException;
}
