package dev.flightdeck.backend.file;

import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.retrieval.ViewRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Feast's point-in-time join for one view: for each entity row, the source row with the same keys
 * that is latest at or before the row's timestamp and within the view's TTL.
 */
final class PointInTimeJoin {
  /** Below this many entity rows, lookups run batch by batch in entity order. */
  private static final int KEY_ORDER_MIN_ROWS = 4096;

  /** Key-order lookups pay for a pass over the view's keys; worth it from a row per this many. */
  private static final int KEY_ORDER_KEYS_PER_ROW = 8;

  /** Below this many entity rows per thread, key-order lookups stay on one thread. */
  private static final int MIN_ROWS_PER_PART = 1 << 17;

  private PointInTimeJoin() {}

  /**
   * The view's rows and, per entity row, the index of the row that answers it (-1 for none), and
   * per requested feature its column in the rows. Entity rows are looked up as the result is
   * streamed ({@link #matchesUpTo}): batch by batch when they are few, all at once in key order
   * when they are many. Closing it frees the rows, or returns them to the cache.
   */
  static final class Result implements AutoCloseable {
    private final LoadedView rows;
    private final int[] featureColumns;
    private final AutoCloseable release;
    private final EntityKeys keys;
    private final long[] timestamps;
    private final boolean hasTtl;
    private final long ttl;
    private final int[] matches;
    private final ExecutorService workers;
    private final int threads;
    private int matched;

    private Result(
        LoadedView rows,
        int[] featureColumns,
        AutoCloseable release,
        EntityKeys keys,
        long[] timestamps,
        boolean hasTtl,
        long ttl,
        ExecutorService workers,
        int threads) {
      this.rows = rows;
      this.workers = workers;
      this.threads = threads;
      this.featureColumns = featureColumns;
      this.release = release;
      this.keys = keys;
      this.timestamps = timestamps;
      this.hasTtl = hasTtl;
      this.ttl = ttl;
      this.matches = new int[timestamps.length];
    }

    FeatureColumn feature(int requested) {
      return rows.feature(featureColumns[requested]);
    }

    /** Per entity row, its match; rows {@code end} and later may not be looked up yet. */
    int[] matchesUpTo(int end) {
      if (matched == 0 && end > 0 && lookUpInKeyOrder()) {
        matchAllInKeyOrder();
      }
      for (; matched < end; matched++) {
        matches[matched] =
            rows.lookup(keys.keyId(rows, matched), timestamps[matched], lowest(matched));
      }
      return matches;
    }

    /**
     * Whether the entity rows are many enough, against the view's keys, to look them all up at once
     * in key order: in entity order, each lookup's binary search is a chain of cache misses in a
     * random key's run; in key order, the rows of one key search the same few cache lines.
     */
    private boolean lookUpInKeyOrder() {
      return timestamps.length >= KEY_ORDER_MIN_ROWS
          && timestamps.length >= rows.keyCount() / KEY_ORDER_KEYS_PER_ROW;
    }

    /**
     * Looks every entity row up, in parts on the workers and this thread: the first batch waits for
     * all of it, and until it leaves, nothing else of this request uses the other cores.
     */
    private void matchAllInKeyOrder() {
      int count = timestamps.length;
      int parts = Math.max(1, Math.min(threads, count / MIN_ROWS_PER_PART));
      int[] ids = new int[count];
      ParallelParts.run(
          parts,
          part -> {
            int end = (int) ((long) count * (part + 1) / parts);
            for (int row = (int) ((long) count * part / parts); row < end; row++) {
              ids[row] = keys.keyId(rows, row);
            }
          },
          workers,
          "looking up entity rows");
      Arrays.fill(matches, -1); // rows without a key in the view
      KeyRuns runs = KeyRuns.of(ids, count, rows.keyCount());
      int[] start = runs.start();
      int[] byKey = runs.rows();
      int[] cuts = runs.cut(parts);
      ParallelParts.run(
          parts,
          part -> {
            for (int id = cuts[part]; id < cuts[part + 1]; id++) {
              for (int i = start[id]; i < start[id + 1]; i++) {
                int row = byKey[i];
                matches[row] = rows.lookup(id, timestamps[row], lowest(row));
              }
            }
          },
          workers,
          "looking up entity rows");
      matched = count;
    }

    /**
     * The oldest source timestamp that may answer entity row {@code row}: its time minus the TTL.
     */
    private long lowest(int row) {
      return hasTtl ? saturatedSubtract(timestamps[row], ttl) : Long.MIN_VALUE;
    }

    @Override
    public void close() {
      try {
        release.close();
      } catch (Exception e) {
        throw new IllegalStateException("releasing the rows of a view failed", e);
      }
    }
  }

  /**
   * Runs the join for {@code request}, on the whole view from {@code cache} when it holds (or can
   * hold) it, else on the rows this request needs, read for it alone.
   */
  static Result run(
      ViewReaders readers,
      ViewRequest request,
      VectorSchemaRoot entityRows,
      BufferAllocator allocator) {
    int rowCount = entityRows.getRowCount();
    TimeStampVector eventTimestamps =
        (TimeStampVector)
            entityRows.getVector(RetrievalPlan.entityTimestampColumn(entityRows.getSchema()));
    EntityKeys keys = EntityKeys.of(entityRows, request.joinKeys());
    long[] timestamps = new long[rowCount];
    long earliest = Long.MAX_VALUE;
    long latest = Long.MIN_VALUE;
    org.apache.arrow.vector.types.TimeUnit unit =
        ((ArrowType.Timestamp) eventTimestamps.getField().getType()).getUnit();
    for (int row = 0; row < rowCount; row++) {
      timestamps[row] = Timestamps.toMicros(eventTimestamps.get(row), unit);
      if (!keys.isNull(row)) {
        earliest = Math.min(earliest, timestamps[row]);
        latest = Math.max(latest, timestamps[row]);
      }
    }
    long ttl = request.view().hasTtl() ? ttlMicros(request.view().ttl()) : 0;
    long lowest = request.view().hasTtl() ? saturatedSubtract(earliest, ttl) : Long.MIN_VALUE;
    ViewRequest whole = ViewReaders.wholeView(request);
    Optional<ViewCache.Lease> lease = readers.leaseWhole(whole);
    LoadedView rows;
    int[] featureColumns = new int[request.features().size()];
    AutoCloseable release;
    if (lease.isPresent()) {
      rows = lease.get().view();
      release = lease.get();
      for (int i = 0; i < featureColumns.length; i++) {
        featureColumns[i] = columnOf(whole, request.features().get(i).feature().name());
      }
    } else {
      rows = readers.reader(request, keys.distinct(), lowest, latest, allocator).read();
      release = rows;
      Arrays.setAll(featureColumns, i -> i);
    }
    return new Result(
        rows,
        featureColumns,
        release,
        keys,
        timestamps,
        request.view().hasTtl(),
        ttl,
        readers.workers(),
        readers.threads());
  }

  private static int columnOf(ViewRequest whole, String feature) {
    for (int i = 0; i < whole.features().size(); i++) {
      if (whole.features().get(i).feature().name().equals(feature)) {
        return i;
      }
    }
    throw new IllegalStateException("feature '" + feature + "' is not in its own view");
  }

  private static long ttlMicros(Duration ttl) {
    return Math.addExact(Math.multiplyExact(ttl.getSeconds(), 1_000_000L), ttl.getNano() / 1_000L);
  }

  private static long saturatedSubtract(long value, long amount) {
    long result = value - amount;
    return ((value ^ amount) & (value ^ result)) < 0 ? Long.MIN_VALUE : result;
  }
}
