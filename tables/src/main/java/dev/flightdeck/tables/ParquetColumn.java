package dev.flightdeck.tables;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.ValueType;
import dev.flightdeck.retrieval.JoinKeys;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * One top-level Parquet column of a source file, with the rules for what Flightdeck may read it as:
 * a flat column, or a list of a primitive ({@link ListShape}). {@code type} is the value's
 * primitive type (a list's element's), {@code stored} the top-level field as the file declares it.
 */
public record ParquetColumn(String name, PrimitiveType type, Type stored, ListShape list) {
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  public ParquetColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(stored, "stored is null");
  }

  /** A flat column. */
  public ParquetColumn(String name, PrimitiveType type) {
    this(name, type, type, null);
  }

  /**
   * How a list column's values nest, in definition levels of its one leaf column: below {@code
   * listDefined} the list is null; at it the list is empty; from {@code listDefined + 1} an entry
   * exists, and at {@code listDefined + 2} (when {@code elementsNullable}) its element is non-null.
   * A repetition level above 0 continues the row's list.
   *
   * @param path the leaf column's path: {@code [f, list, element]} (3-level), {@code [f, element]}
   *     (2-level) or {@code [f]} (a bare repeated field)
   */
  public record ListShape(String[] path, int listDefined, boolean elementsNullable) {
    public ListShape {
      path = path.clone();
    }

    public int maxDefinition() {
      return listDefined + (elementsNullable ? 2 : 1);
    }

    @Override
    public String[] path() {
      return path.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof ListShape shape
          && java.util.Arrays.equals(path, shape.path)
          && listDefined == shape.listDefined
          && elementsNullable == shape.elementsNullable;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(path) * 31 + listDefined * 2 + (elementsNullable ? 1 : 0);
    }

    @Override
    public String toString() {
      return String.join(".", path) + " (list defined at " + listDefined + ")";
    }
  }

  /**
   * The column a top-level field reads as, or empty when Flightdeck cannot read its shape (a
   * struct, a map, a list of lists or of structs). Lists are read in the standard 3-level form
   * Feast and pyarrow write ({@code optional group f (LIST) { repeated group list { optional T
   * element; } }}), the legacy 2-level form ({@code group f (LIST) { repeated T element; }}) and a
   * bare {@code repeated T f}, as Parquet's backward-compatibility rules read them.
   */
  public static Optional<ParquetColumn> of(Type field) {
    String name = field.getName();
    int own = field.isRepetition(Type.Repetition.OPTIONAL) ? 1 : 0;
    if (field.isPrimitive()) {
      PrimitiveType primitive = field.asPrimitiveType();
      if (!field.isRepetition(Type.Repetition.REPEATED)) {
        return Optional.of(new ParquetColumn(name, primitive));
      }
      // A bare repeated primitive: a list that is never null, of required elements.
      return Optional.of(
          new ParquetColumn(name, primitive, field, new ListShape(new String[] {name}, 0, false)));
    }
    GroupType group = field.asGroupType();
    if (field.isRepetition(Type.Repetition.REPEATED)
        || !(group.getLogicalTypeAnnotation()
            instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)
        || group.getFieldCount() != 1
        || !group.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      return Optional.empty();
    }
    Type repeated = group.getType(0);
    if (repeated.isPrimitive()) { // 2-level: the repeated field is the element
      return Optional.of(
          new ParquetColumn(
              name,
              repeated.asPrimitiveType(),
              field,
              new ListShape(new String[] {name, repeated.getName()}, own, false)));
    }
    GroupType entry = repeated.asGroupType();
    if (entry.getFieldCount() != 1
        || !entry.getType(0).isPrimitive()
        || entry.getType(0).isRepetition(Type.Repetition.REPEATED)
        || entry.getName().equals("array")
        || entry.getName().equals(name + "_tuple")) {
      // Several fields, or a name the compatibility rules reserve: the element is a struct.
      return Optional.empty();
    }
    Type element = entry.getType(0);
    return Optional.of(
        new ParquetColumn(
            name,
            element.asPrimitiveType(),
            field,
            new ListShape(
                new String[] {name, entry.getName(), element.getName()},
                own,
                element.isRepetition(Type.Repetition.OPTIONAL))));
  }

  public boolean isList() {
    return list != null;
  }

  /** The path of the column's one leaf (a flat column's is its name). */
  public String[] path() {
    return list == null ? new String[] {name} : list.path();
  }

  /** Whether the column may hold nulls (a list column: null lists). */
  public boolean nullable() {
    return !stored.isRepetition(Type.Repetition.REQUIRED)
        && !stored.isRepetition(Type.Repetition.REPEATED);
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
    return !isList() && isTimestampValue();
  }

  private boolean isTimestampValue() {
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
    if (isList()) {
      return null;
    }
    if ((physical() == PrimitiveTypeName.INT32 || physical() == PrimitiveTypeName.INT64)
        && isPlainOrInt()) {
      return JoinKeys.Kind.INTEGER;
    }
    return isString() ? JoinKeys.Kind.STRING : null;
  }

  public boolean matches(ValueType valueType) {
    if (valueType.isList() != isList()) {
      return false;
    }
    return switch (valueType.kind()) {
      case LIST -> matchesValue(valueType.element());
      default -> matchesValue(valueType);
    };
  }

  private boolean matchesValue(ValueType valueType) {
    return switch (valueType.kind()) {
      case INT32 -> physical() == PrimitiveTypeName.INT32 && isPlainOrInt();
      case INT64 -> physical() == PrimitiveTypeName.INT64 && isPlainOrInt();
      case FLOAT32 -> physical() == PrimitiveTypeName.FLOAT;
      case FLOAT64 -> physical() == PrimitiveTypeName.DOUBLE;
      case STRING -> isString();
      case BOOL -> physical() == PrimitiveTypeName.BOOLEAN;
      case BYTES -> physical() == PrimitiveTypeName.BINARY && logical() == null;
      case TIMESTAMP -> isTimestampValue();
      case DECIMAL -> decimal().map(valueType::equals).orElse(false);
      case LIST -> false;
    };
  }

  /** The value type this column reads as, or empty when Flightdeck cannot read it. */
  public Optional<ValueType> valueType() {
    for (ValueType candidate : isList() ? ValueType.lists() : ValueType.scalars()) {
      if (matches(candidate)) {
        return Optional.of(candidate);
      }
    }
    return isList() ? Optional.empty() : decimal();
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
    String value = logical() == null ? physical().name() : physical().name() + " " + logical();
    return isList() ? "LIST<" + value + ">" : value;
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
