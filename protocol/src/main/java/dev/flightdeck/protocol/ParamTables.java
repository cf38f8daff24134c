package dev.flightdeck.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Scalar and list parameters as one-column tables: a list of strings is a utf8 column, a flag is a
 * bool column with one row. The column is named after the parameter.
 */
public final class ParamTables {
  private static final ArrowType MICROS_UTC = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

  private ParamTables() {}

  public static VectorSchemaRoot strings(
      String param, List<String> values, BufferAllocator allocator) {
    VectorSchemaRoot root =
        VectorSchemaRoot.create(
            new Schema(List.of(Field.notNullable(param, ArrowType.Utf8.INSTANCE))), allocator);
    VarCharVector vector = (VarCharVector) root.getVector(0);
    vector.allocateNew(values.size());
    for (int i = 0; i < values.size(); i++) {
      vector.setSafe(i, values.get(i).getBytes(UTF_8));
    }
    root.setRowCount(values.size());
    return root;
  }

  public static VectorSchemaRoot bool(String param, boolean value, BufferAllocator allocator) {
    VectorSchemaRoot root =
        VectorSchemaRoot.create(
            new Schema(List.of(Field.notNullable(param, ArrowType.Bool.INSTANCE))), allocator);
    BitVector vector = (BitVector) root.getVector(0);
    vector.allocateNew(1);
    vector.set(0, value ? 1 : 0);
    root.setRowCount(1);
    return root;
  }

  /** A one-row {@code timestamp[us, UTC]} column. */
  public static VectorSchemaRoot timestamp(String param, Instant value, BufferAllocator allocator) {
    VectorSchemaRoot root =
        VectorSchemaRoot.create(
            new Schema(List.of(Field.notNullable(param, MICROS_UTC))), allocator);
    TimeStampMicroTZVector vector = (TimeStampMicroTZVector) root.getVector(0);
    vector.allocateNew(1);
    vector.set(0, Timestamps.toMicros(value));
    root.setRowCount(1);
    return root;
  }

  /** One timestamp of any unit; without a zone it means UTC. */
  public static Instant readTimestamp(String param, VectorSchemaRoot table) {
    List<Field> fields = table.getSchema().getFields();
    if (fields.size() != 1
        || !fields.get(0).getName().equals(param)
        || !(fields.get(0).getType() instanceof ArrowType.Timestamp)) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "param '"
              + param
              + "' must be one timestamp column named '"
              + param
              + "', got "
              + fields);
    }
    checkOneRow(param, table.getRowCount());
    TimeStampVector vector = (TimeStampVector) table.getVector(0);
    if (vector.isNull(0)) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "param '" + param + "' is null");
    }
    try {
      return Timestamps.toInstant(Timestamps.epochMicros(vector, 0));
    } catch (ArithmeticException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "param '"
              + param
              + "' = "
              + vector.get(0)
              + " "
              + ((ArrowType.Timestamp) fields.get(0).getType()).getUnit()
              + "s since the epoch is outside what microseconds can hold",
          e);
    }
  }

  public static List<String> readStrings(String param, VectorSchemaRoot table) {
    VarCharVector vector = (VarCharVector) singleColumn(param, table, ArrowType.Utf8.INSTANCE);
    List<String> values = new ArrayList<>(table.getRowCount());
    for (int row = 0; row < table.getRowCount(); row++) {
      if (vector.isNull(row)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER, "param '" + param + "' has a null at row " + row);
      }
      values.add(new String(vector.get(row), UTF_8));
    }
    return values;
  }

  public static String readString(String param, VectorSchemaRoot table) {
    List<String> values = readStrings(param, table);
    checkOneRow(param, values.size());
    return values.get(0);
  }

  public static boolean readBool(String param, VectorSchemaRoot table) {
    BitVector vector = (BitVector) singleColumn(param, table, ArrowType.Bool.INSTANCE);
    checkOneRow(param, table.getRowCount());
    if (vector.isNull(0)) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "param '" + param + "' is null");
    }
    return vector.get(0) == 1;
  }

  private static FieldVector singleColumn(String param, VectorSchemaRoot table, ArrowType type) {
    List<Field> fields = table.getSchema().getFields();
    if (fields.size() != 1
        || !fields.get(0).getName().equals(param)
        || !fields.get(0).getType().equals(type)) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "param '"
              + param
              + "' must be one "
              + describe(type)
              + " column named '"
              + param
              + "', got "
              + fields);
    }
    return table.getVector(0);
  }

  private static void checkOneRow(String param, int rows) {
    if (rows != 1) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "param '" + param + "' must have exactly one row, got " + rows);
    }
  }

  private static String describe(ArrowType type) {
    return type instanceof ArrowType.Utf8
        ? "utf8"
        : type instanceof ArrowType.Bool ? "bool" : type.toString();
  }
}
