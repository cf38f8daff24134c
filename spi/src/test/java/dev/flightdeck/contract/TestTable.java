package dev.flightdeck.contract;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.retrieval.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Builds small Arrow tables for tests, row by row: {@code
 * TestTable.with(allocator).int64("driver_id") .timestamp("event_timestamp").row(1L,
 * at("2024-01-01T00:00:00Z")).build()}. Values are Java objects: Long/Integer, Float/Double,
 * String, Boolean, byte[], Instant, a List of those for a list column; null is null.
 */
public final class TestTable {
  private final BufferAllocator allocator;
  private final List<Field> fields = new ArrayList<>();
  private final List<Object[]> rows = new ArrayList<>();

  private TestTable(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  public static TestTable with(BufferAllocator allocator) {
    return new TestTable(allocator);
  }

  public static Instant at(String instant) {
    return Instant.parse(instant);
  }

  public TestTable column(String name, ArrowType type) {
    fields.add(Field.nullable(name, type));
    return this;
  }

  /** A list column of {@code element}s (nullable), as a {@code List} value per row. */
  public TestTable list(String name, ArrowType element) {
    fields.add(
        new Field(
            name,
            FieldType.nullable(ArrowType.List.INSTANCE),
            List.of(Field.nullable("item", element))));
    return this;
  }

  public TestTable int32(String name) {
    return column(name, new ArrowType.Int(32, true));
  }

  public TestTable int64(String name) {
    return column(name, new ArrowType.Int(64, true));
  }

  public TestTable float32(String name) {
    return column(name, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
  }

  public TestTable float64(String name) {
    return column(name, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE));
  }

  public TestTable string(String name) {
    return column(name, ArrowType.Utf8.INSTANCE);
  }

  public TestTable bool(String name) {
    return column(name, ArrowType.Bool.INSTANCE);
  }

  public TestTable bytes(String name) {
    return column(name, ArrowType.Binary.INSTANCE);
  }

  /** A timestamp column in microseconds, UTC. */
  public TestTable timestamp(String name) {
    return timestamp(name, TimeUnit.MICROSECOND, "UTC");
  }

  public TestTable timestamp(String name, TimeUnit unit, String timeZone) {
    return column(name, new ArrowType.Timestamp(unit, timeZone));
  }

  public TestTable row(Object... values) {
    if (values.length != fields.size()) {
      throw new IllegalArgumentException(
          "row "
              + Arrays.toString(values)
              + " has "
              + values.length
              + " values for "
              + fields.size()
              + " columns");
    }
    rows.add(values.clone());
    return this;
  }

  public VectorSchemaRoot build() {
    VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
    root.allocateNew();
    for (int column = 0; column < fields.size(); column++) {
      FieldVector vector = root.getVector(column);
      for (int row = 0; row < rows.size(); row++) {
        set(vector, row, rows.get(row)[column]);
      }
      vector.setValueCount(rows.size());
    }
    root.setRowCount(rows.size());
    return root;
  }

  private static void set(FieldVector vector, int row, Object value) {
    if (value == null) {
      vector.setNull(row);
      return;
    }
    if (vector instanceof ListVector v) {
      List<?> elements = (List<?>) value;
      int start = v.startNewValue(row);
      for (int i = 0; i < elements.size(); i++) {
        set(v.getDataVector(), start + i, elements.get(i));
      }
      v.endValue(row, elements.size());
    } else if (vector instanceof IntVector v) {
      v.setSafe(row, ((Number) value).intValue());
    } else if (vector instanceof BigIntVector v) {
      v.setSafe(row, ((Number) value).longValue());
    } else if (vector instanceof Float4Vector v) {
      v.setSafe(row, ((Number) value).floatValue());
    } else if (vector instanceof Float8Vector v) {
      v.setSafe(row, ((Number) value).doubleValue());
    } else if (vector instanceof VarCharVector v) {
      v.setSafe(row, ((String) value).getBytes(UTF_8));
    } else if (vector instanceof BitVector v) {
      v.setSafe(row, ((Boolean) value) ? 1 : 0);
    } else if (vector instanceof VarBinaryVector v) {
      v.setSafe(row, (byte[]) value);
    } else if (vector instanceof DecimalVector v) {
      v.setSafe(row, (BigDecimal) value);
    } else if (vector instanceof DateDayVector v) {
      v.setSafe(row, Math.toIntExact(((LocalDate) value).toEpochDay()));
    } else if (vector instanceof TimeStampVector v) {
      TimeUnit unit = ((ArrowType.Timestamp) v.getField().getType()).getUnit();
      v.setSafe(row, fromMicros(Timestamps.toMicros((Instant) value), unit));
    } else {
      throw new IllegalArgumentException("unsupported test column " + vector.getField());
    }
  }

  private static long fromMicros(long micros, TimeUnit unit) {
    return switch (unit) {
      case SECOND -> Math.floorDiv(micros, 1_000_000L);
      case MILLISECOND -> Math.floorDiv(micros, 1_000L);
      case MICROSECOND -> micros;
      case NANOSECOND -> Math.multiplyExact(micros, 1_000L);
    };
  }
}
