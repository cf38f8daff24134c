package dev.flightdeck.repository;

import java.time.Duration;

/**
 * Durations written back as people write them in {@code feature_store.yaml}: {@code P1D}, not
 * Java's {@code PT24H}. Whole days print as days; anything else as ISO-8601 time.
 */
public final class Durations {
  private static final long SECONDS_PER_DAY = 86_400;

  private Durations() {}

  public static String format(Duration duration) {
    if (!duration.isZero()
        && duration.getNano() == 0
        && duration.getSeconds() % SECONDS_PER_DAY == 0) {
      return "P" + duration.getSeconds() / SECONDS_PER_DAY + "D";
    }
    return duration.toString();
  }
}
