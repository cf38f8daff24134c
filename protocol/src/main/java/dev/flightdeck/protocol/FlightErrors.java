package dev.flightdeck.protocol;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.ErrorKind;
import dev.flightdeck.error.FlightdeckException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;

/**
 * The one mapping between Flightdeck errors and Flight statuses. The server sends the error's kind
 * as the status code and its exact code in the {@code flightdeck-error-code} metadata key; the
 * client maps back, so a remote call raises what a local one would.
 */
public final class FlightErrors {
  public static final String ERROR_CODE_KEY = "flightdeck-error-code";

  private FlightErrors() {}

  public static FlightRuntimeException toFlight(FlightdeckException error) {
    ErrorFlightMetadata metadata = new ErrorFlightMetadata();
    metadata.insert(ERROR_CODE_KEY, error.code().name());
    return status(error.kind())
        .withDescription(error.getMessage())
        .withMetadata(metadata)
        .toRuntimeException();
  }

  public static FlightdeckException fromFlight(FlightRuntimeException error) {
    CallStatus status = error.status();
    String message =
        status.description() == null || status.description().isEmpty()
            ? status.code().name()
            : status.description();
    return new FlightdeckException(code(status), message, error);
  }

  /** Whether a Flightdeck server raised {@code error}, rather than the transport under it. */
  public static boolean fromServer(FlightRuntimeException error) {
    CallStatus status = error.status();
    return status.metadata() != null && status.metadata().containsKey(ERROR_CODE_KEY);
  }

  private static ErrorCode code(CallStatus status) {
    String name =
        status.metadata() != null && status.metadata().containsKey(ERROR_CODE_KEY)
            ? status.metadata().get(ERROR_CODE_KEY)
            : null;
    if (name != null) {
      try {
        return ErrorCode.valueOf(name);
      } catch (IllegalArgumentException e) {
        // a newer server's code: fall back to the status code below
      }
    }
    return switch (status.code()) {
      case INVALID_ARGUMENT -> ErrorCode.INVALID_PARAMETER;
      case NOT_FOUND -> ErrorCode.UNKNOWN_COMMAND;
      case ALREADY_EXISTS -> ErrorCode.INVALID_PARAMETER;
      case UNAVAILABLE, TIMED_OUT, CANCELLED -> ErrorCode.SERVER_UNAVAILABLE;
      case UNAUTHENTICATED -> ErrorCode.UNAUTHENTICATED;
      case UNAUTHORIZED -> ErrorCode.PERMISSION_DENIED;
      case RESOURCE_EXHAUSTED -> ErrorCode.LIMIT_EXCEEDED;
      default -> ErrorCode.INTERNAL_ERROR;
    };
  }

  private static CallStatus status(ErrorKind kind) {
    FlightStatusCode code =
        switch (kind) {
          case INVALID_ARGUMENT -> FlightStatusCode.INVALID_ARGUMENT;
          case NOT_FOUND -> FlightStatusCode.NOT_FOUND;
          case ALREADY_EXISTS -> FlightStatusCode.ALREADY_EXISTS;
          case UNAVAILABLE -> FlightStatusCode.UNAVAILABLE;
          case UNAUTHENTICATED -> FlightStatusCode.UNAUTHENTICATED;
          case PERMISSION_DENIED -> FlightStatusCode.UNAUTHORIZED;
          case RESOURCE_EXHAUSTED -> FlightStatusCode.RESOURCE_EXHAUSTED;
          case INTERNAL -> FlightStatusCode.INTERNAL;
        };
    return new CallStatus(code, null, null, null);
  }
}
