package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The source rows of one view that a retrieval may need, grouped by join key: {@code order} lists
 * the rows key after key, each key's run sorted by (timestamp, created timestamp, read order), so
 * the answer for an entity row is the last row of its key's run at or before its timestamp.
 */
final class LoadedView implements AutoCloseable {
  /** Below this many rows a view's runs are sorted on one thread. */
  private static final int MIN_ROWS_PER_PART = 1 << 20;

  private final KeyIds keyIds;
  private final int[] order;
  private final int[] runStart;

  /**
   * Timestamps in {@code order}'s layout: a key's run is contiguous, so its search stays in cache.
   */
  private final long[] orderedTimestamps;

  private final List<FeatureColumn> features;

  /**
   * @param rows how many rows there are: the first {@code rows} entries of the arrays
   * @param rowKeys each row's key id in {@code keyIds}, in read order
   * @param created created timestamps, {@code Long.MIN_VALUE} for null (null sorts lowest)
   * @param executor sorts the keys' runs, {@code threads} parts at a time with the calling thread
   */
  LoadedView(
      KeyIds keyIds,
      int rows,
      int[] rowKeys,
      long[] timestamps,
      long[] created,
      List<FeatureColumn> features,
      ExecutorService executor,
      int threads) {
    this.keyIds = requireNonNull(keyIds, "keyIds is null");
    requireNonNull(timestamps, "timestamps is null");
    this.features = List.copyOf(features);
    int keys = keyIds.size();
    KeyRuns runs = KeyRuns.of(rowKeys, rows, keys); // stable: each run starts in read order
    runStart = runs.start();
    order = runs.rows();
    orderedTimestamps = new long[order.length];
    // Parts of about equal rows: reading timestamps in key order misses the cache at every row.
    int parts = Math.max(1, Math.min(threads, order.length / MIN_ROWS_PER_PART));
    int[] firstKey = runs.cut(parts);
    ParallelParts.run(
        parts,
        part -> sortRuns(firstKey[part], firstKey[part + 1], timestamps, created),
        executor,
        "indexing a feature view");
  }

  /**
   * Orders the runs of keys {@code fromKey} to {@code toKey} - 1 and fills their timestamps. A run
   * whose timestamps strictly increase in read order, the usual case, is in order as it is; others
   * are sorted, with the created timestamp and read order breaking ties.
   */
  private void sortRuns(int fromKey, int toKey, long[] timestamps, long[] created) {
    for (int i = runStart[fromKey]; i < runStart[toKey]; i++) {
      orderedTimestamps[i] = timestamps[order[i]];
    }
    for (int key = fromKey; key < toKey; key++) {
      int from = runStart[key];
      int to = runStart[key + 1];
      if (!strictlyIncreasing(from, to)) {
        RunSort.sort(order, from, to, timestamps, created);
        for (int i = from; i < to; i++) {
          orderedTimestamps[i] = timestamps[order[i]];
        }
      }
    }
  }

  private boolean strictlyIncreasing(int from, int to) {
    for (int i = from + 1; i < to; i++) {
      if (orderedTimestamps[i - 1] >= orderedTimestamps[i]) {
        return false;
      }
    }
    return true;
  }

  /** The id of a join key (as {@link dev.flightdeck.retrieval.JoinKeys} forms it), or -1. */
  int keyId(Object key) {
    return key == null ? -1 : keyIds.idOf(key);
  }

  /** As {@link #keyId(Object)} for a single integer key, without boxing it. */
  int keyId(long key) {
    return keyIds instanceof KeyIds.Longs longs ? longs.idOf(key) : keyIds.idOf(Long.valueOf(key));
  }

  /** How many distinct keys there are: ids run from 0 to this, exclusive. */
  int keyCount() {
    return keyIds.size();
  }

  /**
   * The row answering an entity row whose key has id {@code id} (-1: none) at {@code timestamp}, or
   * -1: the latest row at or before it, if it is not older than {@code lowerBound}.
   */
  int lookup(int id, long timestamp, long lowerBound) {
    if (id < 0) {
      return -1;
    }
    int low = runStart[id];
    int high = runStart[id + 1] - 1;
    int found = -1;
    while (low <= high) {
      int middle = (low + high) >>> 1;
      if (orderedTimestamps[middle] <= timestamp) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0 || orderedTimestamps[found] < lowerBound) {
      return -1;
    }
    return order[found];
  }

  /** The values of the view's requested features, in the order they were asked for. */
  FeatureColumn feature(int index) {
    return features.get(index);
  }

  int rowCount() {
    return order.length;
  }

  /** About what this view holds, Arrow data and index together: what a cache counts. */
  long bytes() {
    long total = 12L * order.length + 4L * runStart.length + 48L * keyIds.size();
    for (FeatureColumn feature : features) {
      total += feature.bufferSize();
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
