package dev.flightdeck.bench;

import java.util.Arrays;

/** Request latencies in nanoseconds, and their percentiles (nearest rank). */
final class Latencies {
  private final long[] sorted;

  Latencies(long[] nanos) {
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The latency below which {@code percent}% of the requests finished, in milliseconds. */
  double percentileMillis(double percent) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1e6;
  }
}
