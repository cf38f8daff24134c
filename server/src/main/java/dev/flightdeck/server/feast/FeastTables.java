package dev.flightdeck.server.feast;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The tables Feast's client puts. A call without a table sends a one-row dummy {@code {"key":
 * "mock_key"}}; a table made with {@code pa.Table.from_pandas} carries pandas' schema metadata and,
 * for a DataFrame whose index is not a plain range, the index as {@code __index_level_0__}.
 */
public final class FeastTables {
  /** The dummy's one column; Feast's server also tells it apart by this column alone. */
  public static final String DUMMY_COLUMN = "key";

  public static final String DUMMY_VALUE = "mock_key";

  private static final Pattern PANDAS_INDEX = Pattern.compile("__index_level_\\d+__");

  private FeastTables() {}

  /** Whether a put's schema is Feast's "no table" dummy: one column, named {@code key}. */
  public static boolean isDummy(Schema schema) {
    List<Field> fields = schema.getFields();
    return fields.size() == 1 && fields.get(0).getName().equals(DUMMY_COLUMN);
  }

  /** Whether a column is an index pandas wrote, not data. */
  public static boolean isPandasIndex(String column) {
    return PANDAS_INDEX.matcher(column).matches();
  }

  /**
   * The table without pandas' index columns and without schema metadata (pandas' no longer
   * describes it), its {@code large_string} columns (pandas' pyarrow-backed strings) as {@code
   * string}; takes ownership of {@code table}. Only the converted columns allocate, from their own
   * allocator.
   */
  public static VectorSchemaRoot normalize(VectorSchemaRoot table) {
    List<FieldVector> kept = new ArrayList<>();
    List<FieldVector> dropped = new ArrayList<>();
    try {
      for (FieldVector vector : table.getFieldVectors()) {
        if (isPandasIndex(vector.getName())) {
          dropped.add(vector);
        } else if (vector instanceof LargeVarCharVector large) {
          kept.add(narrowed(large, table.getRowCount()));
          dropped.add(vector);
        } else {
          kept.add(vector);
        }
      }
    } catch (RuntimeException e) {
      kept.stream().filter(v -> !table.getFieldVectors().contains(v)).forEach(FieldVector::close);
      table.close();
      throw e;
    }
    if (dropped.isEmpty()
        && (table.getSchema().getCustomMetadata() == null
            || table.getSchema().getCustomMetadata().isEmpty())) {
      return table;
    }
    int rows = table.getRowCount();
    dropped.forEach(FieldVector::close);
    List<Field> fields = kept.stream().map(FieldVector::getField).toList();
    VectorSchemaRoot normalized = new VectorSchemaRoot(fields, kept, rows);
    return normalized;
  }

  private static VarCharVector narrowed(LargeVarCharVector large, int rows) {
    VarCharVector narrow =
        new VarCharVector(
            new Field(large.getName(), FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
            large.getAllocator());
    try {
      narrow.allocateNew(rows);
      for (int row = 0; row < rows; row++) {
        if (large.isNull(row)) {
          narrow.setNull(row);
        } else {
          narrow.setSafe(row, large.get(row));
        }
      }
      narrow.setValueCount(rows);
      return narrow;
    } catch (RuntimeException e) {
      narrow.close();
      throw e;
    }
  }
}
