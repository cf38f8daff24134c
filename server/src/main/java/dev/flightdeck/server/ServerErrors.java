package dev.flightdeck.server;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.ErrorKind;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import java.util.UUID;
import org.apache.arrow.flight.FlightRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure of a call into the Flight status sent back. Internal failures are logged here
 * with their stack trace; the client gets only a short message pointing at the log.
 */
final class ServerErrors {
  private static final Logger log = LoggerFactory.getLogger(ServerErrors.class);

  /**
   * The longest description a client gets: stock gRPC clients refuse trailers over 8 KiB, and an
   * echoed input (a 1 MiB api name, say) would otherwise break the error itself.
   */
  static final int MAX_DESCRIPTION = 1_000;

  private ServerErrors() {}

  /**
   * The status a client gets for {@code error}. A refusal keeps its message (cut to {@link
   * #MAX_DESCRIPTION}); a failure inside the server gets a generic text and a short error id, and
   * its detail (paths, SQL, URLs, stack) goes only to the server log under that id.
   */
  static FlightRuntimeException toFlight(String call, Throwable error) {
    if (error instanceof FlightRuntimeException flight) {
      // Already a status (e.g. the client cancelled): pass it on as it is.
      log.debug("{} ended with {}", call, flight.status());
      return flight;
    }
    if (error instanceof FlightdeckException flightdeck
        && flightdeck.kind() != ErrorKind.INTERNAL) {
      log.debug("{} refused: {}", call, flightdeck.getMessage());
      return FlightErrors.toFlight(
          new FlightdeckException(flightdeck.code(), cut(flightdeck.getMessage()), flightdeck));
    }
    String errorId = UUID.randomUUID().toString().substring(0, 8);
    log.error("{} failed [error {}]: {}", call, errorId, error.getMessage(), error);
    ErrorCode code =
        error instanceof FlightdeckException flightdeck
            ? flightdeck.code()
            : ErrorCode.BACKEND_FAILURE;
    return FlightErrors.toFlight(
        new FlightdeckException(
            code,
            cut(call)
                + " failed on the server (error id "
                + errorId
                + "); the server log has the details under that id"));
  }

  static String cut(String text) {
    return text == null || text.length() <= MAX_DESCRIPTION
        ? text
        : text.substring(0, MAX_DESCRIPTION) + "… (" + text.length() + " characters)";
  }
}
