package dev.flightdeck.backend.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.retrieval.Timestamps;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * PostgreSQL's {@code COPY ... FROM STDIN} in CSV, through the driver's CopyManager: one round trip
 * for a whole entity table, instead of one per batch of inserts.
 */
final class PostgresCopyLoader implements RowLoader {
  private static final int ROWS_PER_CHUNK = 50_000;

  @Override
  public void load(
      Connection connection,
      String quotedTable,
      List<String> quotedColumns,
      List<FieldVector> columns,
      int rowCount)
      throws SQLException {
    CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
    String sql =
        "COPY "
            + quotedTable
            + " ("
            + String.join(", ", quotedColumns)
            + ") FROM STDIN WITH (FORMAT csv)";
    StringBuilder text = new StringBuilder();
    try {
      for (int row = 0; row < rowCount; row++) {
        for (int c = 0; c < columns.size(); c++) {
          if (c > 0) {
            text.append(',');
          }
          text.append(csv(columns.get(c), row));
        }
        text.append('\n');
        if ((row + 1) % ROWS_PER_CHUNK == 0) {
          copy.copyIn(sql, new ByteArrayInputStream(text.toString().getBytes(UTF_8)));
          text.setLength(0);
        }
      }
      if (text.length() > 0) {
        copy.copyIn(sql, new ByteArrayInputStream(text.toString().getBytes(UTF_8)));
      }
    } catch (IOException e) {
      throw new SQLException("COPY into " + quotedTable + " failed: " + e.getMessage(), e);
    }
  }

  /** A CSV field: unquoted empty is NULL, everything else quoted where needed. */
  private static String csv(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return "";
    }
    if (vector instanceof BaseIntVector ints) {
      return Long.toString(ints.getValueAsLong(row));
    }
    if (vector instanceof TimeStampVector timestamps) {
      return BatchInsertLoader.utc(Timestamps.epochMicros(timestamps, row)).toString();
    }
    if (vector instanceof BitVector bits) {
      return bits.get(row) != 0 ? "t" : "f";
    }
    if (vector instanceof DecimalVector decimals) {
      return decimals.getObject(row).toPlainString();
    }
    if (vector instanceof DateDayVector dates) {
      return java.time.LocalDate.ofEpochDay(dates.get(row)).toString();
    }
    if (vector instanceof VarBinaryVector bytes) {
      StringBuilder hex = new StringBuilder("\\x");
      for (byte b : bytes.get(row)) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    }
    String text =
        vector instanceof VarCharVector strings
            ? strings.getObject(row).toString()
            : String.valueOf(vector.getObject(row));
    return '"' + text.replace("\"", "\"\"") + '"';
  }
}
