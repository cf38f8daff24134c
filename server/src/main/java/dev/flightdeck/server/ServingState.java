package dev.flightdeck.server;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;

/**
 * Whether the server takes new commands. Shutdown flips it first, so new puts and the {@code
 * health} action answer UNAVAILABLE (a load balancer stops sending) while running streams finish.
 */
public final class ServingState {
  private volatile boolean stopping;

  public void stop() {
    stopping = true;
  }

  public boolean serving() {
    return !stopping;
  }

  /** Fails with UNAVAILABLE once shutdown has begun. */
  public void requireServing() {
    if (stopping) {
      throw new FlightdeckException(
          ErrorCode.SERVER_UNAVAILABLE,
          "the server is shutting down and takes no new commands; retry on another server");
    }
  }
}
