package dev.flightdeck.backend.jdbc;

import dev.flightdeck.retrieval.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Multi-row {@code INSERT ... VALUES (?, ...), (?, ...)} statements, executed in batches, with
 * every value bound. Many rows per statement matter for databases that pay per statement (DuckDB).
 */
final class BatchInsertLoader implements RowLoader {
  /** Bound parameters per statement stay under the usual driver limits (2,100 in some). */
  private static final int PARAMETERS_PER_STATEMENT = 2_000;

  private static final int STATEMENTS_PER_BATCH = 16;

  @Override
  public void load(
      Connection connection,
      String quotedTable,
      List<String> quotedColumns,
      List<FieldVector> columns,
      int rowCount)
      throws SQLException {
    int rowsPerStatement = Math.max(1, PARAMETERS_PER_STATEMENT / Math.max(1, columns.size()));
    int full = rowCount / rowsPerStatement;
    int rest = rowCount % rowsPerStatement;
    if (full > 0) {
      try (PreparedStatement insert =
          connection.prepareStatement(sql(quotedTable, quotedColumns, rowsPerStatement))) {
        for (int statement = 0; statement < full; statement++) {
          bindRows(insert, columns, statement * rowsPerStatement, rowsPerStatement);
          insert.addBatch();
          if ((statement + 1) % STATEMENTS_PER_BATCH == 0) {
            insert.executeBatch();
          }
        }
        insert.executeBatch();
      }
    }
    if (rest > 0) {
      try (PreparedStatement insert =
          connection.prepareStatement(sql(quotedTable, quotedColumns, rest))) {
        bindRows(insert, columns, full * rowsPerStatement, rest);
        insert.executeUpdate();
      }
    }
  }

  private static String sql(String quotedTable, List<String> quotedColumns, int rows) {
    String row = "(" + String.join(", ", Collections.nCopies(quotedColumns.size(), "?")) + ")";
    return "INSERT INTO "
        + quotedTable
        + " ("
        + String.join(", ", quotedColumns)
        + ") VALUES "
        + String.join(", ", Collections.nCopies(rows, row));
  }

  private static void bindRows(
      PreparedStatement insert, List<FieldVector> columns, int first, int rows)
      throws SQLException {
    int parameter = 1;
    for (int row = first; row < first + rows; row++) {
      for (FieldVector column : columns) {
        bind(insert, parameter++, column, row);
      }
    }
  }

  static void bind(PreparedStatement statement, int parameter, FieldVector vector, int row)
      throws SQLException {
    if (vector.isNull(row)) {
      statement.setNull(parameter, sqlType(vector));
    } else if (vector instanceof IntVector ints) {
      statement.setInt(parameter, ints.get(row));
    } else if (vector instanceof BaseIntVector ints) {
      statement.setLong(parameter, ints.getValueAsLong(row));
    } else if (vector instanceof Float4Vector floats) {
      statement.setFloat(parameter, floats.get(row));
    } else if (vector instanceof Float8Vector doubles) {
      statement.setDouble(parameter, doubles.get(row));
    } else if (vector instanceof VarCharVector strings) {
      statement.setString(parameter, strings.getObject(row).toString());
    } else if (vector instanceof BitVector bits) {
      statement.setBoolean(parameter, bits.get(row) != 0);
    } else if (vector instanceof VarBinaryVector bytes) {
      statement.setBytes(parameter, bytes.get(row));
    } else if (vector instanceof TimeStampVector timestamps) {
      statement.setObject(parameter, utc(Timestamps.epochMicros(timestamps, row)));
    } else if (vector instanceof DecimalVector decimals) {
      statement.setBigDecimal(parameter, decimals.getObject(row));
    } else if (vector instanceof DateDayVector dates) {
      statement.setObject(parameter, LocalDate.ofEpochDay(dates.get(row)));
    } else {
      statement.setObject(parameter, vector.getObject(row));
    }
  }

  /** Epoch microseconds as the UTC wall-clock time a zone-less TIMESTAMP column stores. */
  static LocalDateTime utc(long epochMicros) {
    return LocalDateTime.ofInstant(Timestamps.toInstant(epochMicros), ZoneOffset.UTC);
  }

  private static int sqlType(FieldVector vector) {
    if (vector instanceof IntVector) {
      return Types.INTEGER;
    }
    if (vector instanceof BaseIntVector) {
      return Types.BIGINT;
    }
    if (vector instanceof Float4Vector) {
      return Types.REAL;
    }
    if (vector instanceof Float8Vector) {
      return Types.DOUBLE;
    }
    if (vector instanceof VarCharVector) {
      return Types.VARCHAR;
    }
    if (vector instanceof BitVector) {
      return Types.BOOLEAN;
    }
    if (vector instanceof VarBinaryVector) {
      return Types.VARBINARY;
    }
    if (vector instanceof TimeStampVector) {
      return Types.TIMESTAMP;
    }
    if (vector instanceof DecimalVector) {
      return Types.DECIMAL;
    }
    if (vector instanceof DateDayVector) {
      return Types.DATE;
    }
    return Types.OTHER;
  }
}
