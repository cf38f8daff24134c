package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds a blocking wait for a client's next message: Flight's put stream has no timeout of its
 * own, so a client that stops sending would hold its thread for ever. Past the timeout the waiting
 * thread is interrupted and the wait fails.
 *
 * <p>Waits are checked by one periodic sweep, not a timer task each: a put waits several times
 * (descriptor, schema, every batch), and hundreds of puts a second would otherwise keep the timer's
 * queue busy with tasks that are nearly all cancelled.
 */
final class IdleTimeout {
  private static final long MAX_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Duration timeout;
  private final long timeoutNanos;
  private final Set<Guard> waiting = ConcurrentHashMap.newKeySet();

  IdleTimeout(ScheduledExecutorService timer, Duration timeout) {
    requireNonNull(timer, "timer is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
    this.timeoutNanos = timeout.toNanos();
    // A wait ends at most a quarter of the timeout (or a second) late.
    long period = Math.max(1, Math.min(MAX_SWEEP_NANOS, timeoutNanos / 4));
    timer.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * Runs {@code wait}; if it has not returned within the timeout, interrupts it and throws {@link
   * Expired} in place of whatever the interrupted wait threw.
   */
  <T> T await(Supplier<T> wait) {
    Guard guard = new Guard(Thread.currentThread(), System.nanoTime() + timeoutNanos);
    waiting.add(guard);
    try {
      return wait.get();
    } catch (RuntimeException e) {
      if (guard.disarm()) {
        throw new Expired(e);
      }
      throw e;
    } finally {
      waiting.remove(guard);
      if (guard.disarm()) {
        // Fired as the wait returned: the thread goes back to its pool, so clear the interrupt.
        Thread.interrupted();
      }
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    for (Guard guard : waiting) {
      if (now - guard.deadline > 0) {
        guard.fire();
      }
    }
  }

  /** The wait took longer than the timeout. */
  static final class Expired extends RuntimeException {
    Expired(Throwable interrupted) {
      super("idle timeout", interrupted);
    }
  }

  private static final class Guard {
    private final Thread waiting;
    private final long deadline;
    private boolean armed = true;
    private boolean fired;

    Guard(Thread waiting, long deadline) {
      this.waiting = waiting;
      this.deadline = deadline;
    }

    synchronized void fire() {
      if (armed) {
        fired = true;
        waiting.interrupt();
      }
    }

    /** Stops the alarm; true if it had fired. */
    synchronized boolean disarm() {
      armed = false;
      return fired;
    }
  }
}
