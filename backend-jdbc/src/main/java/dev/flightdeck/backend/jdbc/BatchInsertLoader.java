package dev.flightdeck.backend.jdbc;

import dev.flightdeck.retrieval.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/** Batched {@code INSERT ... VALUES (?, ...)} with every value bound. */
final class BatchInsertLoader implements RowLoader {
  private static final int ROWS_PER_BATCH = 1_000;

  @Override
  public void load(
      Connection connection,
      String quotedTable,
      List<String> quotedColumns,
      List<FieldVector> columns,
      int rowCount)
      throws SQLException {
    String sql =
        "INSERT INTO "
            + quotedTable
            + " ("
            + String.join(", ", quotedColumns)
            + ") VALUES ("
            + String.join(", ", Collections.nCopies(columns.size(), "?"))
            + ")";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      for (int row = 0; row < rowCount; row++) {
        for (int c = 0; c < columns.size(); c++) {
          bind(insert, c + 1, columns.get(c), row);
        }
        insert.addBatch();
        if ((row + 1) % ROWS_PER_BATCH == 0) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
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
    return Types.OTHER;
  }
}
