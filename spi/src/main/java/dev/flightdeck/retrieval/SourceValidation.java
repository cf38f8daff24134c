package dev.flightdeck.retrieval;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;

/**
 * How every backend reports {@code validate_data_source}: a fault of the source (a missing or
 * mistyped column, an unreadable file or relation) is {@link ErrorCode#INVALID_DATA_SOURCE} naming
 * the source; a failure of the backend itself (I/O, a lost connection) keeps its own code, since
 * the source may well be fine.
 */
public final class SourceValidation {
  private SourceValidation() {}

  public static FlightdeckException notValid(String dataSource, FlightdeckException problem) {
    if (problem.code() == ErrorCode.BACKEND_FAILURE) {
      return problem;
    }
    return new FlightdeckException(
        ErrorCode.INVALID_DATA_SOURCE,
        "data source '" + dataSource + "' is not valid: " + problem.getMessage(),
        problem);
  }
}
