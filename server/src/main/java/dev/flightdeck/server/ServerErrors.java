package dev.flightdeck.server;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.ErrorKind;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import org.apache.arrow.flight.FlightRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure of a call into the Flight status sent back. Internal failures are logged here
 * with their stack trace; the client gets only a short message pointing at the log.
 */
final class ServerErrors {
  private static final Logger log = LoggerFactory.getLogger(ServerErrors.class);

  private ServerErrors() {}

  static FlightRuntimeException toFlight(String call, Throwable error) {
    if (error instanceof FlightdeckException flightdeck) {
      if (flightdeck.kind() == ErrorKind.INTERNAL) {
        log.error("{} failed: {}", call, flightdeck.getMessage(), flightdeck);
      } else {
        log.debug("{} refused: {}", call, flightdeck.getMessage());
      }
      return FlightErrors.toFlight(flightdeck);
    }
    if (error instanceof FlightRuntimeException flight) {
      // Already a status (e.g. the client cancelled): pass it on as it is.
      log.debug("{} ended with {}", call, flight.status());
      return flight;
    }
    log.error("{} failed", call, error);
    return FlightErrors.toFlight(
        new FlightdeckException(
            ErrorCode.BACKEND_FAILURE,
            call
                + " failed on the server ("
                + error.getClass().getSimpleName()
                + "); details are in the server log"));
  }
}
