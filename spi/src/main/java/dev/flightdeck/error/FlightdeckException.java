package dev.flightdeck.error;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type of Flightdeck. Local stores throw it; the remote client rebuilds it from
 * the server's status, so the same code reaches user code wherever the store runs.
 */
public class FlightdeckException extends RuntimeException {
  private final ErrorCode code;

  public FlightdeckException(ErrorCode code, String message) {
    super(message);
    this.code = requireNonNull(code, "code is null");
  }

  public FlightdeckException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = requireNonNull(code, "code is null");
  }

  public ErrorCode code() {
    return code;
  }

  public ErrorKind kind() {
    return code.kind();
  }

  @Override
  public String toString() {
    return "FlightdeckException[" + code + "]: " + getMessage();
  }
}
