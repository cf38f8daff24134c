package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A feature type a repository may declare ({@code dtype}), with the Arrow type it is served as: one
 * of the scalars, {@code decimal(p,s)} for exact numbers (a SQL {@code NUMERIC(p,s)}, a Parquet
 * {@code DECIMAL}), or a list of a scalar ({@code Array(Float32)}, Feast's {@code *_LIST} types),
 * served as an Arrow {@code List<element>} whose elements may be null.
 *
 * <p>List dtypes are spelled as Feast users write them in Python ({@code Array(Float32)}, with
 * Feast's element names), so a definition can be copied from a Feast repository as it is; scalars
 * keep Flightdeck's names ({@code float32}).
 */
public record ValueType(Kind kind, int precision, int scale, ValueType element) {
  /**
   * The kinds of value; only {@link #DECIMAL} has a precision and scale, only {@link #LIST} an
   * element type.
   */
  public enum Kind {
    INT32("Int32"),
    INT64("Int64"),
    FLOAT32("Float32"),
    FLOAT64("Float64"),
    STRING("String"),
    BOOL("Bool"),
    BYTES("Bytes"),
    TIMESTAMP("UnixTimestamp"),
    DECIMAL(null),
    LIST(null);

    /** Feast's Python name of the type, as written inside {@code Array(...)}; null if none. */
    private final String feastName;

    Kind(String feastName) {
      this.feastName = feastName;
    }
  }

  /** Arrow's 128-bit decimals hold up to 38 digits. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  /** The name of a list's element field, as pyarrow names it. */
  public static final String LIST_ELEMENT_NAME = "item";

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
  private static final List<ValueType> LISTS =
      SCALARS.stream().map(ValueType::listOf).collect(Collectors.toUnmodifiableList());
  private static final Pattern DECIMAL_DTYPE =
      Pattern.compile("decimal\\(\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*\\)");

  /** What people write for lists in other tools: recognised only to point at the right spelling. */
  private static final Pattern OTHER_LIST_SPELLING =
      Pattern.compile("(?i)\\s*(array|list)\\s*[(<\\[].*");

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
    if (kind == Kind.LIST) {
      requireNonNull(element, "a list's element is null");
      if (element.kind.feastName == null) {
        throw new IllegalArgumentException(
            "a list's elements must be a scalar (" + knownLists() + "), not " + element);
      }
    } else if (element != null) {
      throw new IllegalArgumentException(kind + " has no element type");
    }
  }

  /** A type without an element: a scalar, or a decimal. */
  public ValueType(Kind kind, int precision, int scale) {
    this(kind, precision, scale, null);
  }

  private static ValueType scalar(Kind kind) {
    return new ValueType(kind, 0, 0);
  }

  public static ValueType decimal(int precision, int scale) {
    return new ValueType(Kind.DECIMAL, precision, scale);
  }

  /** A list of {@code element}, one of the {@link #scalars()}. */
  public static ValueType listOf(ValueType element) {
    return new ValueType(Kind.LIST, 0, 0, element);
  }

  /** Every type but the decimals, which have parameters, and the lists. */
  public static List<ValueType> scalars() {
    return SCALARS;
  }

  /** A list of each scalar. */
  public static List<ValueType> lists() {
    return LISTS;
  }

  public boolean isList() {
    return kind == Kind.LIST;
  }

  /** The name used for {@code dtype} in {@code feature_store.yaml}. */
  public String dtype() {
    return switch (kind) {
      case DECIMAL -> "decimal(" + precision + "," + scale + ")";
      case LIST -> "Array(" + element.kind.feastName + ")";
      default -> kind.name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * The Arrow type; for a list only the outer {@code List} (its element is in {@link #field}'s
   * child).
   */
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
      case LIST -> ArrowType.List.INSTANCE;
    };
  }

  /**
   * A nullable column of this type named {@code name}; a list's elements are a nullable child named
   * {@value #LIST_ELEMENT_NAME}.
   */
  public Field field(String name) {
    if (kind == Kind.LIST) {
      return new Field(
          name,
          FieldType.nullable(ArrowType.List.INSTANCE),
          List.of(element.field(LIST_ELEMENT_NAME)));
    }
    return Field.nullable(name, arrowType());
  }

  /**
   * Whether a column of Arrow type {@code field} holds exactly values of this type (a list's
   * element field may have any name).
   */
  public boolean matches(Field field) {
    if (kind != Kind.LIST) {
      return field.getType().equals(arrowType());
    }
    return field.getType() instanceof ArrowType.List
        && field.getChildren().size() == 1
        && element.matches(field.getChildren().get(0));
  }

  public static ValueType fromDtype(String dtype) {
    for (ValueType type : SCALARS) {
      if (type.dtype().equals(dtype)) {
        return type;
      }
    }
    for (ValueType type : LISTS) {
      if (type.dtype().equals(dtype)) {
        return type;
      }
    }
    Matcher decimal = DECIMAL_DTYPE.matcher(dtype);
    if (decimal.matches()) {
      return decimal(Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    if (OTHER_LIST_SPELLING.matcher(dtype).matches()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "unknown dtype '"
              + dtype
              + "': list dtypes are written as in Feast, Array(<Feast type>): "
              + knownLists());
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_REPOSITORY,
        "unknown dtype '" + dtype + "' (known: " + knownDtypes() + ")");
  }

  public static String knownDtypes() {
    return SCALARS.stream().map(ValueType::dtype).collect(Collectors.joining(", "))
        + ", decimal(p,s), "
        + knownLists();
  }

  private static String knownLists() {
    return LISTS.stream().map(ValueType::dtype).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return dtype();
  }
}
