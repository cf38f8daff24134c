package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts one kind of call (puts, streams) that each principal has in flight, and refuses one past
 * the limit: one careless client cannot take every thread or every stream from the others.
 */
final class CallSlots {
  private final String what;
  private final int perPrincipal;
  private final String flag;
  private final ConcurrentMap<String, Integer> inUse = new ConcurrentHashMap<>();

  CallSlots(String what, int perPrincipal, String flag) {
    this.what = requireNonNull(what, "what is null");
    this.perPrincipal = perPrincipal;
    this.flag = requireNonNull(flag, "flag is null");
  }

  /** A slot for {@code principal}, released by closing it; LIMIT_EXCEEDED when none is left. */
  Slot acquire(String principal) {
    inUse.compute(
        principal,
        (name, count) -> {
          int held = count == null ? 0 : count;
          if (held >= perPrincipal) {
            throw new FlightdeckException(
                ErrorCode.LIMIT_EXCEEDED,
                "principal '"
                    + name
                    + "' already has "
                    + held
                    + " "
                    + what
                    + " in flight, the most allowed ("
                    + flag
                    + "); wait for one to end");
          }
          return held + 1;
        });
    return new Slot(principal);
  }

  /** Slots held now, by every principal. */
  int inUse() {
    return inUse.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** One call's hold on a slot; closing it more than once releases once. */
  final class Slot implements AutoCloseable {
    private final String principal;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(String principal) {
      this.principal = principal;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        inUse.computeIfPresent(principal, (name, count) -> count == 1 ? null : count - 1);
      }
    }
  }
}
