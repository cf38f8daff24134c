package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds a blocking wait for a client's next message: Flight's put stream has no timeout of its
 * own, so a client that stops sending would hold its thread for ever. Past the timeout the waiting
 * thread is interrupted and the wait fails.
 */
final class IdleTimeout {
  private final ScheduledExecutorService timer;
  private final Duration timeout;

  IdleTimeout(ScheduledExecutorService timer, Duration timeout) {
    this.timer = requireNonNull(timer, "timer is null");
    this.timeout = requireNonNull(timeout, "timeout is null");
  }

  Duration timeout() {
    return timeout;
  }

  /**
   * Runs {@code wait}; if it has not returned within the timeout, interrupts it and throws {@link
   * Expired} in place of whatever the interrupted wait threw.
   */
  <T> T await(Supplier<T> wait) {
    Thread waiting = Thread.currentThread();
    Guard guard = new Guard(waiting);
    ScheduledFuture<?> alarm = timer.schedule(guard::fire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      return wait.get();
    } catch (RuntimeException e) {
      if (guard.disarm()) {
        throw new Expired(e);
      }
      throw e;
    } finally {
      alarm.cancel(false);
      if (guard.disarm()) {
        // Fired as the wait returned: the thread goes back to its pool, so clear the interrupt.
        Thread.interrupted();
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
    private boolean armed = true;
    private boolean fired;

    Guard(Thread waiting) {
      this.waiting = waiting;
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
