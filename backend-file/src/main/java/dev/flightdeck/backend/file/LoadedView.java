package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.FieldVector;

/**
 * The source rows of one view that a retrieval may need, indexed by join key. Each key's rows are
 * sorted by (timestamp, created timestamp, read order), so the answer for an entity row is the last
 * one at or before its timestamp.
 */
final class LoadedView implements AutoCloseable {
  private final Map<Object, int[]> rowsByKey;
  private final long[] timestamps;
  private final List<FieldVector> features;

  /**
   * @param rowsByKey row indices per key, in read order; sorted here
   * @param created created timestamps, {@code Long.MIN_VALUE} for null (null sorts lowest)
   */
  LoadedView(
      Map<Object, int[]> rowsByKey, long[] timestamps, long[] created, List<FieldVector> features) {
    this.rowsByKey = requireNonNull(rowsByKey, "rowsByKey is null");
    this.timestamps = requireNonNull(timestamps, "timestamps is null");
    this.features = List.copyOf(features);
    Comparator<Integer> order =
        Comparator.<Integer>comparingLong(row -> timestamps[row])
            .thenComparingLong(row -> created[row]);
    for (Map.Entry<Object, int[]> entry : rowsByKey.entrySet()) {
      int[] rows = entry.getValue();
      if (rows.length > 1 && !inOrder(rows, timestamps, created)) {
        // A stable sort keeps read order among full ties, so the row read last wins.
        Integer[] boxed = Arrays.stream(rows).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, order);
        for (int i = 0; i < rows.length; i++) {
          rows[i] = boxed[i];
        }
      }
    }
  }

  /** Sources are mostly written in time order: then there is nothing to sort. */
  private static boolean inOrder(int[] rows, long[] timestamps, long[] created) {
    for (int i = 1; i < rows.length; i++) {
      long previous = timestamps[rows[i - 1]];
      long current = timestamps[rows[i]];
      if (current < previous || (current == previous && created[rows[i]] < created[rows[i - 1]])) {
        return false;
      }
    }
    return true;
  }

  /**
   * The row answering an entity row with key {@code key} at {@code timestamp}, or -1: the latest
   * row at or before it, if it is not older than {@code lowerBound}.
   */
  int lookup(Object key, long timestamp, long lowerBound) {
    if (key == null) {
      return -1;
    }
    int[] rows = rowsByKey.get(key);
    if (rows == null) {
      return -1;
    }
    int low = 0;
    int high = rows.length - 1;
    int found = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (timestamps[rows[middle]] <= timestamp) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0 || timestamps[rows[found]] < lowerBound) {
      return -1;
    }
    return rows[found];
  }

  /** The values of the view's requested features, in the order they were asked for. */
  FieldVector feature(int index) {
    return features.get(index);
  }

  int rowCount() {
    return timestamps.length;
  }

  /** About what this view holds, Arrow data and index together: what a cache counts. */
  long bytes() {
    long total = 8L * timestamps.length + 4L * timestamps.length + 64L * rowsByKey.size();
    for (FieldVector feature : features) {
      total += feature.getBufferSize();
    }
    return total;
  }

  @Override
  public void close() {
    for (int i = features.size() - 1; i >= 0; i--) {
      features.get(i).close();
    }
  }
}
