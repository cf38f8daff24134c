package dev.flightdeck.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One run of a retrieval: how long it took, and the aggregates of what it returned.
 *
 * @param sentNanos of {@code nanos}, the time spent sending the request's parameters before the
 *     result was asked for (0 where nothing is sent: a bare {@code do_get}, a local query)
 */
record TimedResult(long nanos, long sentNanos, ResultSummary summary) {
  TimedResult(long nanos, ResultSummary summary) {
    this(nanos, 0, summary);
  }

  double seconds() {
    return nanos / 1e9;
  }

  /** The time from asking for the result to reading its last row. */
  double resultSeconds() {
    return (nanos - sentNanos) / 1e9;
  }

  /** The run with the median time (the upper one of an even count). */
  static TimedResult median(List<TimedResult> runs) {
    List<TimedResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingLong(TimedResult::nanos));
    return sorted.get(sorted.size() / 2);
  }
}
