package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** The feature types a repository may declare, with the Arrow type each one is served as. */
public enum ValueType {
  INT32("int32", new ArrowType.Int(32, true)),
  INT64("int64", new ArrowType.Int(64, true)),
  FLOAT32("float32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
  FLOAT64("float64", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
  STRING("string", ArrowType.Utf8.INSTANCE),
  BOOL("bool", ArrowType.Bool.INSTANCE),
  BYTES("bytes", ArrowType.Binary.INSTANCE),
  /** Served as microseconds in UTC: every backend can keep that precision. */
  TIMESTAMP("timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));

  private final String dtype;
  private final ArrowType arrowType;

  ValueType(String dtype, ArrowType arrowType) {
    this.dtype = requireNonNull(dtype, "dtype is null");
    this.arrowType = requireNonNull(arrowType, "arrowType is null");
  }

  /** The name used for {@code dtype} in {@code feature_store.yaml}. */
  public String dtype() {
    return dtype;
  }

  public ArrowType arrowType() {
    return arrowType;
  }

  public static ValueType fromDtype(String dtype) {
    for (ValueType type : values()) {
      if (type.dtype.equals(dtype)) {
        return type;
      }
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_REPOSITORY,
        "unknown dtype '" + dtype + "' (known: " + knownDtypes() + ")");
  }

  public static String knownDtypes() {
    return Arrays.stream(values()).map(ValueType::dtype).collect(Collectors.joining(", "));
  }
}
