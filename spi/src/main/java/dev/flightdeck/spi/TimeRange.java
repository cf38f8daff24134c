package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Instant;
import java.util.Optional;

/**
 * An interval of event timestamps, both ends inclusive; an absent end leaves that side open.
 * Feast's {@code start_date} and {@code end_date}.
 */
public record TimeRange(Optional<Instant> start, Optional<Instant> end) {
  public static final TimeRange ALL = new TimeRange(Optional.empty(), Optional.empty());

  public TimeRange {
    requireNonNull(start, "start is null");
    requireNonNull(end, "end is null");
    if (start.isPresent() && end.isPresent() && start.get().isAfter(end.get())) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "start_date " + start.get() + " is after end_date " + end.get());
    }
  }

  public static TimeRange between(Instant start, Instant end) {
    return new TimeRange(
        Optional.of(requireNonNull(start, "start is null")),
        Optional.of(requireNonNull(end, "end is null")));
  }

  public boolean contains(Instant instant) {
    return start.map(s -> !instant.isBefore(s)).orElse(true)
        && end.map(e -> !instant.isAfter(e)).orElse(true);
  }

  public boolean isBounded() {
    return start.isPresent() && end.isPresent();
  }

  /** Throws INVALID_PARAMETER naming {@code api} unless both ends are given. */
  public TimeRange requireBounded(String api) {
    if (!isBounded()) {
      throw new FlightdeckException(
          ErrorCode.MISSING_PARAMETER, api + " needs both start_date and end_date, got " + this);
    }
    return this;
  }

  @Override
  public String toString() {
    return "["
        + start.map(Instant::toString).orElse("-inf")
        + ", "
        + end.map(Instant::toString).orElse("+inf")
        + "]";
  }
}
