package dev.flightdeck.tables;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.ValueType;
import dev.flightdeck.retrieval.JoinKeys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/** One flat Parquet column of a source file, with the rules for what Flightdeck may read it as. */
public record ParquetColumn(String name, PrimitiveType type) {
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  public ParquetColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }

  public PrimitiveTypeName physical() {
    return type.getPrimitiveTypeName();
  }

  public LogicalTypeAnnotation logical() {
    return type.getLogicalTypeAnnotation();
  }

  /**
   * Whether the column reads as a timestamp: INT96, an INT64 timestamp, or a DATE (midnight UTC, as
   * the JDBC backend reads a SQL DATE).
   */
  public boolean isTimestamp() {
    return physical() == PrimitiveTypeName.INT96
        || (physical() == PrimitiveTypeName.INT64
            && logical() instanceof TimestampLogicalTypeAnnotation)
        || isDate();
  }

  public boolean isDate() {
    return physical() == PrimitiveTypeName.INT32
        && logical() instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation;
  }

  public boolean isString() {
    return physical() == PrimitiveTypeName.BINARY
        && logical() instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation;
  }

  private boolean isPlainOrInt() {
    return logical() == null || logical() instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation;
  }

  /** The kind of join key this column can be, or null when it cannot be one. */
  public JoinKeys.Kind joinKeyKind() {
    if ((physical() == PrimitiveTypeName.INT32 || physical() == PrimitiveTypeName.INT64)
        && isPlainOrInt()) {
      return JoinKeys.Kind.INTEGER;
    }
    return isString() ? JoinKeys.Kind.STRING : null;
  }

  public boolean matches(ValueType valueType) {
    return switch (valueType.kind()) {
      case INT32 -> physical() == PrimitiveTypeName.INT32 && isPlainOrInt();
      case INT64 -> physical() == PrimitiveTypeName.INT64 && isPlainOrInt();
      case FLOAT32 -> physical() == PrimitiveTypeName.FLOAT;
      case FLOAT64 -> physical() == PrimitiveTypeName.DOUBLE;
      case STRING -> isString();
      case BOOL -> physical() == PrimitiveTypeName.BOOLEAN;
      case BYTES -> physical() == PrimitiveTypeName.BINARY && logical() == null;
      case TIMESTAMP -> isTimestamp();
      case DECIMAL -> decimal().map(valueType::equals).orElse(false);
    };
  }

  /** The value type this column reads as, or empty when Flightdeck cannot read it. */
  public Optional<ValueType> valueType() {
    for (ValueType candidate : ValueType.scalars()) {
      if (matches(candidate)) {
        return Optional.of(candidate);
      }
    }
    return decimal();
  }

  /** A DECIMAL column's type, in any of Parquet's four encodings Arrow can hold. */
  private Optional<ValueType> decimal() {
    if (logical() instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation decimal
        && decimal.getPrecision() <= ValueType.MAX_DECIMAL_PRECISION) {
      return Optional.of(ValueType.decimal(decimal.getPrecision(), decimal.getScale()));
    }
    return Optional.empty();
  }

  /** How the column reads in messages: {@code INT64 TIMESTAMP(MICROS,true)}, {@code DOUBLE}. */
  public String describe() {
    return logical() == null ? physical().name() : physical().name() + " " + logical();
  }

  /**
   * An INT64 timestamp value (or a DATE's days) in epoch microseconds; sub-microsecond digits are
   * dropped.
   */
  public long toMicros(long value) {
    if (isDate()) {
      return Math.multiplyExact(value, MICROS_PER_DAY);
    }
    TimestampLogicalTypeAnnotation timestamp = (TimestampLogicalTypeAnnotation) logical();
    return switch (timestamp.getUnit()) {
      case MILLIS -> Math.multiplyExact(value, 1_000L);
      case MICROS -> value;
      case NANOS -> Math.floorDiv(value, 1_000L);
    };
  }

  /**
   * An INT96 timestamp: 8 bytes of nanoseconds in the day, then 4 bytes of Julian day,
   * little-endian.
   */
  public static long int96ToMicros(Binary value) {
    ByteBuffer bytes = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = bytes.getLong();
    long julianDay = Integer.toUnsignedLong(bytes.getInt());
    return (julianDay - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + Math.floorDiv(nanosOfDay, 1_000L);
  }
}
