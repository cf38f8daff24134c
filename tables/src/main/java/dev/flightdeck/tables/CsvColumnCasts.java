package dev.flightdeck.tables;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.SourceColumn;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Narrows the columns CSV reading inferred wide (int64, float64) to the widths a source stores
 * (int32, float32), using the type names {@code get_table_column_names_and_types} reports: Arrow's
 * and pyarrow's names, and the usual SQL ones. Other columns are left as read.
 */
public final class CsvColumnCasts {
  private static final Map<String, ArrowType> NARROW =
      Map.ofEntries(
          Map.entry("int32", new ArrowType.Int(32, true)),
          Map.entry("int", new ArrowType.Int(32, true)),
          Map.entry("integer", new ArrowType.Int(32, true)),
          Map.entry("int4", new ArrowType.Int(32, true)),
          Map.entry("float", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
          Map.entry("float32", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
          Map.entry("float4", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
          Map.entry("real", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));

  private CsvColumnCasts() {}

  /** A new table with narrowed columns; the input stays owned by the caller. */
  public static VectorSchemaRoot narrow(
      VectorSchemaRoot table, List<SourceColumn> stored, BufferAllocator allocator) {
    List<Field> fields =
        table.getSchema().getFields().stream().map(field -> target(field, stored)).toList();
    VectorSchemaRoot result = VectorSchemaRoot.create(new Schema(fields), allocator);
    try {
      result.allocateNew();
      for (int c = 0; c < fields.size(); c++) {
        copy(table.getVector(c), result.getVector(c), table.getRowCount());
      }
      result.setRowCount(table.getRowCount());
      return result;
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  private static Field target(Field field, List<SourceColumn> stored) {
    for (SourceColumn column : stored) {
      if (column.name().equals(field.getName())) {
        if (column.type().startsWith("Array(") && !(field.getType() instanceof ArrowType.List)) {
          throw new FlightdeckException(
              ErrorCode.INVALID_PARAMETER,
              "column '"
                  + field.getName()
                  + "' is "
                  + column.type()
                  + " in the source, and CSV cannot hold lists: write these rows from a Parquet"
                  + " or Arrow file");
        }
        ArrowType narrow = NARROW.get(column.type().toLowerCase(Locale.ROOT).trim());
        boolean widerRead =
            narrow != null
                && ((narrow instanceof ArrowType.Int && field.getType() instanceof ArrowType.Int)
                    || (narrow instanceof ArrowType.FloatingPoint
                        && field.getType() instanceof ArrowType.FloatingPoint));
        return widerRead ? Field.nullable(field.getName(), narrow) : field;
      }
    }
    return field;
  }

  private static void copy(FieldVector from, FieldVector to, int rows) {
    for (int row = 0; row < rows; row++) {
      if (from.isNull(row)) {
        to.setNull(row);
      } else if (to instanceof IntVector ints && from instanceof BigIntVector longs) {
        ints.setSafe(row, Math.toIntExact(longs.get(row)));
      } else if (to instanceof Float4Vector floats && from instanceof Float8Vector doubles) {
        floats.setSafe(row, (float) doubles.get(row));
      } else {
        to.copyFromSafe(row, row, from);
      }
    }
    to.setValueCount(rows);
  }
}
