package dev.flightdeck.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for something a server does after the client's call returned (freeing, closing). */
final class Poll {
  private Poll() {}

  static void until(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    until(what, timeout, condition, () -> "");
  }

  /** As above; {@code state} says, on a timeout, what was seen instead. */
  static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        String seen = state.get();
        throw new AssertionError(
            "waited " + timeout + " for: " + what + (seen.isEmpty() ? "" : "; " + seen));
      }
      Thread.sleep(20);
    }
  }
}
