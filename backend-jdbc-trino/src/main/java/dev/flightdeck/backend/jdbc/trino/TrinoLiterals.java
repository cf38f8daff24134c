package dev.flightdeck.backend.jdbc.trino;

import dev.flightdeck.retrieval.Timestamps;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Values written into SQL as Trino literals. Trino's JDBC driver sends one query per batched row
 * and has no bulk path, so rows travel as {@code VALUES} text; every value here is rendered from
 * its Arrow type (numbers, escaped strings, hex bytes), never pasted, so no value can change a
 * statement's meaning.
 */
final class TrinoLiterals {
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  private TrinoLiterals() {}

  /** Appends the literal of {@code vector}'s value at {@code row} (NULL for a null). */
  static void append(StringBuilder sql, FieldVector vector, int row) {
    if (vector.isNull(row)) {
      sql.append("NULL");
    } else if (vector instanceof BaseIntVector integers) {
      sql.append(integers.getValueAsLong(row));
    } else if (vector instanceof Float8Vector doubles) {
      floating(sql, doubles.get(row), "DOUBLE");
    } else if (vector instanceof Float4Vector floats) {
      floating(sql, floats.get(row), "REAL");
    } else if (vector instanceof VarCharVector strings) {
      string(sql, strings.getObject(row).toString());
    } else if (vector instanceof BitVector bits) {
      sql.append(bits.get(row) != 0 ? "TRUE" : "FALSE");
    } else if (vector instanceof VarBinaryVector bytes) {
      sql.append("X'").append(HexFormat.of().formatHex(bytes.get(row))).append('\'');
    } else if (vector instanceof TimeStampVector timestamps) {
      sql.append("TIMESTAMP '")
          .append(TIMESTAMP.format(utc(Timestamps.epochMicros(timestamps, row))))
          .append('\'');
    } else if (vector instanceof DecimalVector decimals) {
      sql.append("DECIMAL '").append(decimals.getObject(row).toPlainString()).append('\'');
    } else if (vector instanceof DateDayVector dates) {
      sql.append("DATE '").append(LocalDate.ofEpochDay(dates.get(row))).append('\'');
    } else {
      throw new IllegalArgumentException(
          "no Trino literal for column '"
              + vector.getName()
              + "' of type "
              + vector.getField().getType());
    }
  }

  /** A string literal: quotes doubled, so the value cannot end the literal. */
  static void string(StringBuilder sql, String value) {
    sql.append('\'').append(value.replace("'", "''")).append('\'');
  }

  /** Finite values as typed literals; NaN and infinities through a cast of their names. */
  private static void floating(StringBuilder sql, double value, String type) {
    String text = type.equals("REAL") ? Float.toString((float) value) : Double.toString(value);
    if (Double.isFinite(value)) {
      sql.append(type).append(" '").append(text).append('\'');
    } else {
      sql.append("CAST('").append(text).append("' AS ").append(type).append(')');
    }
  }

  private static LocalDateTime utc(long epochMicros) {
    return LocalDateTime.ofInstant(Timestamps.toInstant(epochMicros), ZoneOffset.UTC);
  }
}
