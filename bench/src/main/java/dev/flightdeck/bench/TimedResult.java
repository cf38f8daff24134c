package dev.flightdeck.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** One run of a retrieval: how long it took, and the aggregates of what it returned. */
record TimedResult(long nanos, ResultSummary summary) {
  double seconds() {
    return nanos / 1e9;
  }

  /** The run with the median time (the upper one of an even count). */
  static TimedResult median(List<TimedResult> runs) {
    List<TimedResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingLong(TimedResult::nanos));
    return sorted.get(sorted.size() / 2);
  }
}
