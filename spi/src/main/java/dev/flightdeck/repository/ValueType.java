package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * A feature type a repository may declare ({@code dtype}), with the Arrow type it is served as: one
 * of the scalars, or {@code decimal(p,s)} for exact numbers (a SQL {@code NUMERIC(p,s)}, a Parquet
 * {@code DECIMAL}).
 */
public record ValueType(Kind kind, int precision, int scale) {
  /** The kinds of value; only {@link #DECIMAL} has a precision and scale. */
  public enum Kind {
    INT32,
    INT64,
    FLOAT32,
    FLOAT64,
    STRING,
    BOOL,
    BYTES,
    TIMESTAMP,
    DECIMAL
  }

  /** Arrow's 128-bit decimals hold up to 38 digits. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  public static final ValueType INT32 = scalar(Kind.INT32);
  public static final ValueType INT64 = scalar(Kind.INT64);
  public static final ValueType FLOAT32 = scalar(Kind.FLOAT32);
  public static final ValueType FLOAT64 = scalar(Kind.FLOAT64);
  public static final ValueType STRING = scalar(Kind.STRING);
  public static final ValueType BOOL = scalar(Kind.BOOL);
  public static final ValueType BYTES = scalar(Kind.BYTES);

  /** Served as microseconds in UTC: every backend can keep that precision. */
  public static final ValueType TIMESTAMP = scalar(Kind.TIMESTAMP);

  private static final List<ValueType> SCALARS =
      List.of(INT32, INT64, FLOAT32, FLOAT64, STRING, BOOL, BYTES, TIMESTAMP);
  private static final Pattern DECIMAL_DTYPE =
      Pattern.compile("decimal\\(\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*\\)");

  public ValueType {
    requireNonNull(kind, "kind is null");
    if (kind == Kind.DECIMAL) {
      if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
        throw new FlightdeckException(
            ErrorCode.INVALID_REPOSITORY,
            "dtype 'decimal("
                + precision
                + ","
                + scale
                + ")' needs 1 <= precision <= "
                + MAX_DECIMAL_PRECISION
                + " and 0 <= scale <= precision");
      }
    } else if (precision != 0 || scale != 0) {
      throw new IllegalArgumentException(kind + " has no precision or scale");
    }
  }

  private static ValueType scalar(Kind kind) {
    return new ValueType(kind, 0, 0);
  }

  public static ValueType decimal(int precision, int scale) {
    return new ValueType(Kind.DECIMAL, precision, scale);
  }

  /** Every type but the decimals, which have parameters. */
  public static List<ValueType> scalars() {
    return SCALARS;
  }

  /** The name used for {@code dtype} in {@code feature_store.yaml}. */
  public String dtype() {
    return kind == Kind.DECIMAL
        ? "decimal(" + precision + "," + scale + ")"
        : kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  public ArrowType arrowType() {
    return switch (kind) {
      case INT32 -> new ArrowType.Int(32, true);
      case INT64 -> new ArrowType.Int(64, true);
      case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case STRING -> ArrowType.Utf8.INSTANCE;
      case BOOL -> ArrowType.Bool.INSTANCE;
      case BYTES -> ArrowType.Binary.INSTANCE;
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      case DECIMAL -> new ArrowType.Decimal(precision, scale, 128);
    };
  }

  public static ValueType fromDtype(String dtype) {
    for (ValueType type : SCALARS) {
      if (type.dtype().equals(dtype)) {
        return type;
      }
    }
    Matcher decimal = DECIMAL_DTYPE.matcher(dtype);
    if (decimal.matches()) {
      return decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_REPOSITORY,
        "unknown dtype '" + dtype + "' (known: " + knownDtypes() + ")");
  }

  public static String knownDtypes() {
    return SCALARS.stream().map(ValueType::dtype).collect(Collectors.joining(", "))
        + ", decimal(p,s)";
  }

  @Override
  public String toString() {
    return dtype();
  }
}
