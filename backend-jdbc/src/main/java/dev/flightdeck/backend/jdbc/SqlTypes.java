package dev.flightdeck.backend.jdbc;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.sql.Types;
import java.util.Locale;
import org.apache.arrow.adapter.jdbc.JdbcFieldInfo;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The one mapping between SQL and Arrow types Flightdeck serves: the feature types of the
 * repository ({@code int32 int64 float32 float64 string bool bytes timestamp}), with timestamps as
 * microseconds in UTC whether the column has a zone or not.
 */
public final class SqlTypes {
  public static final ArrowType MICROS_UTC = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

  private SqlTypes() {}

  public static String ansi(ArrowType type) {
    if (type instanceof ArrowType.Int integer) {
      return integer.getBitWidth() <= 32 ? "INTEGER" : "BIGINT";
    }
    if (type instanceof ArrowType.FloatingPoint floating) {
      return floating.getPrecision() == FloatingPointPrecision.SINGLE ? "REAL" : "DOUBLE PRECISION";
    }
    if (type instanceof ArrowType.Utf8) {
      return "VARCHAR";
    }
    if (type instanceof ArrowType.Bool) {
      return "BOOLEAN";
    }
    if (type instanceof ArrowType.Binary) {
      return "VARBINARY";
    }
    if (type instanceof ArrowType.Timestamp) {
      return "TIMESTAMP";
    }
    if (type instanceof ArrowType.Decimal decimal) {
      return "DECIMAL(" + decimal.getPrecision() + ", " + decimal.getScale() + ")";
    }
    if (type instanceof ArrowType.Date) {
      return "DATE";
    }
    throw new FlightdeckException(
        ErrorCode.SCHEMA_MISMATCH, "no SQL column type for Arrow type " + type);
  }

  /** The Arrow type a result column is served as; {@code name} is for messages. */
  static ArrowType arrow(JdbcFieldInfo field, String name) {
    switch (field.getJdbcType()) {
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
        return new ArrowType.Int(32, true);
      case Types.BIGINT:
        return new ArrowType.Int(64, true);
      case Types.REAL:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case Types.FLOAT:
        // JDBC's FLOAT is a double, but DuckDB reports its 4-byte FLOAT (REAL) under it.
        String typeName =
            field.getTypeName() == null ? "" : field.getTypeName().toUpperCase(Locale.ROOT);
        return typeName.equals("FLOAT") || typeName.equals("REAL") || typeName.equals("FLOAT4")
            ? new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)
            : new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case Types.DOUBLE:
        return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case Types.NUMERIC:
      case Types.DECIMAL:
        // Exact when the database declares a precision Arrow can hold; H2's unbounded NUMERIC
        // reports 100000 and is read at 38 digits with the declared scale.
        int precision =
            field.getPrecision() > 0 && field.getPrecision() <= 38 ? field.getPrecision() : 38;
        int scale = Math.max(0, Math.min(field.getScale(), precision));
        return new ArrowType.Decimal(precision, scale, 128);
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.LONGVARCHAR:
      case Types.NCHAR:
      case Types.NVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
        return ArrowType.Utf8.INSTANCE;
      case Types.BIT:
      case Types.BOOLEAN:
        return ArrowType.Bool.INSTANCE;
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return ArrowType.Binary.INSTANCE;
      case Types.DATE:
      case Types.TIMESTAMP:
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return MICROS_UTC;
      default:
        throw new FlightdeckException(
            ErrorCode.INVALID_DATA_SOURCE,
            "column '"
                + name
                + "' has SQL type "
                + field.getTypeName()
                + " ("
                + field.getJdbcType()
                + "), which Flightdeck does not serve");
    }
  }
}
