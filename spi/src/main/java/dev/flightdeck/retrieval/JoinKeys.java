package dev.flightdeck.retrieval;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Join-key values in one comparable form, whatever the column's width: integers as {@link Long},
 * strings as {@link String}. A key of several columns is a {@link List}; a key with any null column
 * is {@code null} and matches nothing.
 */
public final class JoinKeys {
  private JoinKeys() {}

  /**
   * The kinds of join-key column that can be compared: signed or unsigned integers, and strings.
   */
  public enum Kind {
    INTEGER,
    STRING
  }

  public static Kind kindOf(ArrowType type) {
    if (type instanceof ArrowType.Int) {
      return Kind.INTEGER;
    }
    if (type instanceof ArrowType.Utf8) {
      return Kind.STRING;
    }
    return null;
  }

  public static Object value(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof BaseIntVector ints) {
      return ints.getValueAsLong(row);
    }
    if (vector instanceof VarCharVector strings) {
      return new String(strings.get(row), UTF_8);
    }
    throw new IllegalArgumentException("unsupported join key column " + vector.getField());
  }

  /** The key of one row over the given key columns, or {@code null} when any of them is null. */
  public static Object key(List<FieldVector> keyColumns, int row) {
    if (keyColumns.size() == 1) {
      return value(keyColumns.get(0), row);
    }
    Object[] parts = new Object[keyColumns.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = value(keyColumns.get(i), row);
    }
    return compound(parts);
  }

  /**
   * The key of several parts, in the one form every reader uses so equal keys hash alike; {@code
   * null} when any part is null (a null key matches nothing). The array becomes the key: the caller
   * must not change it afterwards.
   */
  public static Object compound(Object[] parts) {
    for (Object part : parts) {
      if (part == null) {
        return null;
      }
    }
    return Arrays.asList(parts);
  }

  /** The key for a view with no entities: every row shares it, so rows join on time alone. */
  public static final Object NO_ENTITY_KEY = List.of();
}
