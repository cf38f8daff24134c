package dev.flightdeck.bench;

import dev.flightdeck.spi.OfflineStore;
import java.time.Duration;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One-entity-row requests, one after another on a warm server: the latency a feature lookup at
 * serving time would see. Stops at the request count or the time budget, whichever comes first, so
 * a slow server cannot hold the bench for minutes.
 */
final class SmallRequests {
  private static final int WARMUPS = 5;

  /**
   * @param budgetReached the time budget ended the run before the requested count
   */
  record Result(Latencies latencies, boolean budgetReached) {}

  private SmallRequests() {}

  static Result run(
      OfflineStore store,
      BenchData data,
      int requests,
      Duration budget,
      BufferAllocator allocator) {
    for (int i = 0; i < WARMUPS; i++) {
      once(store, data, -1 - i, allocator);
    }
    long[] nanos = new long[requests];
    int done = 0;
    long deadline = System.nanoTime() + budget.toNanos();
    while (done < requests && System.nanoTime() < deadline) {
      nanos[done] = once(store, data, done, allocator);
      done++;
    }
    return new Result(new Latencies(Arrays.copyOf(nanos, done)), done < requests);
  }

  private static long once(
      OfflineStore store, BenchData data, long request, BufferAllocator allocator) {
    try (VectorSchemaRoot entities = data.smallEntities(0, request, 1, allocator)) {
      TimedResult result = RemoteRetrieval.run(store, entities);
      if (result.summary().rows() != 1) {
        throw new ResultSummary.CrossCheckFailure(
            "a one-row request returned " + result.summary().rows() + " rows");
      }
      return result.nanos();
    }
  }
}
