package dev.flightdeck.tables;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.Timestamps;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Builds an entity table (or any small table) from Java columns, so a caller needs no Arrow vector
 * code:
 *
 * <pre>{@code
 * VectorSchemaRoot entities = EntityTable.builder()
 *     .int64("driver_id", List.of(1001L, 1002L))
 *     .timestamp("event_timestamp", List.of(Instant.parse("2024-01-01T10:30:00Z"), now))
 *     .build(allocator);
 * }</pre>
 *
 * Columns keep the order they were added in; a {@code null} element is a null value. Timestamps
 * become {@code timestamp[us, UTC]}, the type Feast's entity dataframes carry.
 */
public final class EntityTable {
  private final List<Column> columns = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  private EntityTable() {}

  public static EntityTable builder() {
    return new EntityTable();
  }

  public EntityTable int32(String name, List<Integer> values) {
    return add(name, new ArrowType.Int(32, true), values);
  }

  public EntityTable int64(String name, List<Long> values) {
    return add(name, new ArrowType.Int(64, true), values);
  }

  public EntityTable float32(String name, List<Float> values) {
    return add(name, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), values);
  }

  public EntityTable float64(String name, List<Double> values) {
    return add(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE), values);
  }

  public EntityTable string(String name, List<String> values) {
    return add(name, ArrowType.Utf8.INSTANCE, values);
  }

  public EntityTable bool(String name, List<Boolean> values) {
    return add(name, ArrowType.Bool.INSTANCE, values);
  }

  public EntityTable timestamp(String name, List<Instant> values) {
    return add(name, new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"), values);
  }

  /** The table, owned by the caller; fails if columns differ in length. */
  public VectorSchemaRoot build(BufferAllocator allocator) {
    requireNonNull(allocator, "allocator is null");
    if (columns.isEmpty()) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "an entity table needs a column");
    }
    int rows = columns.get(0).values().size();
    for (Column column : columns) {
      if (column.values().size() != rows) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "column '"
                + column.name()
                + "' has "
                + column.values().size()
                + " values, but '"
                + columns.get(0).name()
                + "' has "
                + rows);
      }
    }
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (Column column : columns) {
        FieldVector vector =
            new Field(column.name(), FieldType.nullable(column.type()), null)
                .createVector(allocator);
        vectors.add(vector);
        fill(vector, column.values());
      }
      VectorSchemaRoot root = new VectorSchemaRoot(vectors);
      root.setRowCount(rows);
      return root;
    } catch (RuntimeException e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  private EntityTable add(String name, ArrowType type, List<?> values) {
    requireNonNull(name, "name is null");
    requireNonNull(values, "values is null");
    if (!names.add(name)) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER, "column '" + name + "' is added twice");
    }
    columns.add(
        new Column(name, type, new ArrayList<>(values))); // not List.copyOf: nulls are values
    return this;
  }

  private static void fill(FieldVector vector, List<?> values) {
    vector.setInitialCapacity(values.size());
    vector.allocateNew();
    for (int row = 0; row < values.size(); row++) {
      Object value = values.get(row);
      if (value == null) {
        vector.setNull(row);
        continue;
      }
      if (vector instanceof IntVector v) {
        v.setSafe(row, (Integer) value);
      } else if (vector instanceof BigIntVector v) {
        v.setSafe(row, (Long) value);
      } else if (vector instanceof Float4Vector v) {
        v.setSafe(row, (Float) value);
      } else if (vector instanceof Float8Vector v) {
        v.setSafe(row, (Double) value);
      } else if (vector instanceof BitVector v) {
        v.setSafe(row, (Boolean) value ? 1 : 0);
      } else if (vector instanceof VarCharVector v) {
        v.setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
      } else if (vector instanceof TimeStampMicroTZVector v) {
        v.setSafe(row, Timestamps.toMicros((Instant) value));
      } else {
        throw new IllegalStateException("no writer for " + vector.getField());
      }
    }
    vector.setValueCount(values.size());
  }

  private record Column(String name, ArrowType type, List<Object> values) {}
}
