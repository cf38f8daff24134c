package dev.flightdeck.repository;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Arrow types named as {@code feature_store.yaml} names dtypes ({@code float32}, {@code string},
 * {@code timestamp}), so messages and column listings read the same in every module and backend.
 * Types with no dtype get pyarrow-style names ({@code uint8}, {@code date32}).
 */
public final class TypeNames {
  private TypeNames() {}

  /**
   * A column's type name; lists of a scalar read as their dtype ({@code Array(Float32)}), other
   * lists pyarrow-style ({@code list<uint8>}).
   */
  public static String of(Field field) {
    ArrowType type = field.getType();
    if ((type instanceof ArrowType.List || type instanceof ArrowType.LargeList)
        && field.getChildren().size() == 1) {
      Field element = field.getChildren().get(0);
      if (type instanceof ArrowType.List) {
        for (ValueType list : ValueType.lists()) {
          if (list.matches(field)) {
            return list.dtype();
          }
        }
      }
      return (type instanceof ArrowType.List ? "list<" : "large_list<") + of(element) + ">";
    }
    return of(type);
  }

  public static String of(ArrowType type) {
    if (type instanceof ArrowType.Int integer) {
      return (integer.getIsSigned() ? "int" : "uint") + integer.getBitWidth();
    }
    if (type instanceof ArrowType.FloatingPoint floating) {
      return floating.getPrecision() == FloatingPointPrecision.SINGLE
          ? "float32"
          : floating.getPrecision() == FloatingPointPrecision.DOUBLE ? "float64" : "float16";
    }
    if (type instanceof ArrowType.Utf8) {
      return ValueType.STRING.dtype();
    }
    if (type instanceof ArrowType.LargeUtf8) {
      return "large_string"; // pyarrow's name: a string with 64-bit offsets, cast to string to use
    }
    if (type instanceof ArrowType.Binary || type instanceof ArrowType.LargeBinary) {
      return ValueType.BYTES.dtype();
    }
    if (type instanceof ArrowType.Bool) {
      return ValueType.BOOL.dtype();
    }
    if (type instanceof ArrowType.Timestamp) {
      return ValueType.TIMESTAMP.dtype();
    }
    if (type instanceof ArrowType.Date date) {
      return date.getUnit() == org.apache.arrow.vector.types.DateUnit.DAY ? "date32" : "date64";
    }
    if (type instanceof ArrowType.Decimal decimal) {
      return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
    }
    if (type instanceof ArrowType.Null) {
      return "null";
    }
    return type.getTypeID().name().toLowerCase(java.util.Locale.ROOT);
  }
}
