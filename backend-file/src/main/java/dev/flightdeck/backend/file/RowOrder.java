package dev.flightdeck.backend.file;

import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.Timestamps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Orders, picks and copies rows of in-memory tables by row index, so sorting and de-duplication
 * move indexes, not values. Keys compare as numbers or as strings; nulls sort last.
 */
final class RowOrder {
  private RowOrder() {}

  /** Compares rows by the given key columns (integers numerically, strings by their text). */
  static Comparator<Integer> byKeys(List<FieldVector> keys) {
    Comparator<Integer> order = (a, b) -> 0;
    for (FieldVector key : keys) {
      order =
          order.thenComparing(
              (a, b) -> compareNullsLast(JoinKeys.value(key, a), JoinKeys.value(key, b)));
    }
    return order;
  }

  /** Compares rows by a timestamp column (epoch microseconds); nulls last. */
  static Comparator<Integer> byTimestamp(TimeStampVector timestamps) {
    return (a, b) -> compareNullsLast(micros(timestamps, a), micros(timestamps, b));
  }

  private static Long micros(TimeStampVector timestamps, int row) {
    return timestamps.isNull(row) ? null : Timestamps.epochMicros(timestamps, row);
  }

  @SuppressWarnings("unchecked")
  private static int compareNullsLast(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    return ((Comparable<Object>) a).compareTo(b);
  }

  /** Row indexes 0..n-1 sorted stably by {@code order}. */
  static int[] sorted(int rowCount, Comparator<Integer> order) {
    Integer[] rows = new Integer[rowCount];
    for (int i = 0; i < rowCount; i++) {
      rows[i] = i;
    }
    Arrays.sort(rows, order); // a stable merge sort: full ties keep read order
    return Arrays.stream(rows).mapToInt(Integer::intValue).toArray();
  }

  /** A new table of {@code rows} of {@code table}, in that order. */
  static VectorSchemaRoot copy(VectorSchemaRoot table, int[] rows, BufferAllocator allocator) {
    VectorSchemaRoot result = VectorSchemaRoot.create(table.getSchema(), allocator);
    try {
      result.allocateNew();
      List<FieldVector> from = table.getFieldVectors();
      List<FieldVector> to = result.getFieldVectors();
      for (int c = 0; c < from.size(); c++) {
        FieldVector source = from.get(c);
        FieldVector target = to.get(c);
        if (target instanceof ListVector) {
          Gather.rows(source, target, rows, 0, rows.length); // whole element ranges at once
        } else {
          for (int i = 0; !(target instanceof NullVector) && i < rows.length; i++) {
            target.copyFromSafe(rows[i], i, source);
          }
        }
        target.setValueCount(rows.length);
      }
      result.setRowCount(rows.length);
      return result;
    } catch (RuntimeException e) {
      result.close();
      throw e;
    }
  }

  static List<FieldVector> columns(VectorSchemaRoot table, List<String> names) {
    List<FieldVector> columns = new ArrayList<>();
    for (String name : names) {
      columns.add(table.getVector(name));
    }
    return columns;
  }
}
