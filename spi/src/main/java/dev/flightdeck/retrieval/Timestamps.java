package dev.flightdeck.retrieval;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Timestamps as instants in epoch microseconds, the unit every comparison uses. A timestamp without
 * a time zone means UTC, as in Feast. Differences below a microsecond are ignored.
 */
public final class Timestamps {
  private Timestamps() {}

  public static long epochMicros(TimeStampVector vector, int row) {
    return toMicros(vector.get(row), ((ArrowType.Timestamp) vector.getField().getType()).getUnit());
  }

  public static long toMicros(long value, org.apache.arrow.vector.types.TimeUnit unit) {
    return switch (unit) {
      case SECOND -> Math.multiplyExact(value, 1_000_000L);
      case MILLISECOND -> Math.multiplyExact(value, 1_000L);
      case MICROSECOND -> value;
      case NANOSECOND -> Math.floorDiv(value, 1_000L);
    };
  }

  public static long toMicros(Instant instant) {
    return Math.addExact(
        TimeUnit.SECONDS.toMicros(instant.getEpochSecond()), instant.getNano() / 1_000);
  }

  public static Instant toInstant(long epochMicros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochMicros, 1_000_000L), Math.floorMod(epochMicros, 1_000_000L) * 1_000L);
  }
}
