package dev.flightdeck.backend.file;

import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.retrieval.ViewRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Feast's point-in-time join for one view: for each entity row, the source row with the same keys
 * that is latest at or before the row's timestamp and within the view's TTL.
 */
final class PointInTimeJoin {
  private PointInTimeJoin() {}

  /**
   * The view's needed rows and, per entity row, the index of the row that answers it (-1 for none).
   */
  record Result(LoadedView rows, int[] matches) {}

  static Result run(
      Path repositoryDir,
      ViewRequest request,
      VectorSchemaRoot entityRows,
      BufferAllocator allocator) {
    int rowCount = entityRows.getRowCount();
    TimeStampVector eventTimestamps =
        (TimeStampVector)
            entityRows.getVector(RetrievalPlan.entityTimestampColumn(entityRows.getSchema()));
    List<FieldVector> keyColumns = new ArrayList<>();
    for (String key : request.joinKeys()) {
      keyColumns.add(entityRows.getVector(key));
    }
    boolean noEntities = keyColumns.isEmpty();
    Object[] keys = new Object[rowCount];
    long[] timestamps = new long[rowCount];
    Set<Object> needed = new HashSet<>();
    long earliest = Long.MAX_VALUE;
    long latest = Long.MIN_VALUE;
    for (int row = 0; row < rowCount; row++) {
      keys[row] = noEntities ? JoinKeys.NO_ENTITY_KEY : JoinKeys.key(keyColumns, row);
      timestamps[row] = Timestamps.epochMicros(eventTimestamps, row);
      if (keys[row] != null) {
        needed.add(keys[row]);
        earliest = Math.min(earliest, timestamps[row]);
        latest = Math.max(latest, timestamps[row]);
      }
    }
    long ttl = request.view().hasTtl() ? ttlMicros(request.view().ttl()) : 0;
    long lowest = request.view().hasTtl() ? saturatedSubtract(earliest, ttl) : Long.MIN_VALUE;
    LoadedView rows =
        new ParquetViewReader(repositoryDir, request, needed, lowest, latest, allocator).read();
    int[] matches = new int[rowCount];
    for (int row = 0; row < rowCount; row++) {
      long lowerBound =
          request.view().hasTtl() ? saturatedSubtract(timestamps[row], ttl) : Long.MIN_VALUE;
      matches[row] = rows.lookup(keys[row], timestamps[row], lowerBound);
    }
    return new Result(rows, matches);
  }

  private static long ttlMicros(Duration ttl) {
    return Math.addExact(Math.multiplyExact(ttl.getSeconds(), 1_000_000L), ttl.getNano() / 1_000L);
  }

  private static long saturatedSubtract(long value, long amount) {
    long result = value - amount;
    return ((value ^ amount) & (value ^ result)) < 0 ? Long.MIN_VALUE : result;
  }
}
