package dev.flightdeck.repository;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.regex.Pattern;

/** Checks the names a repository declares; one rule for every kind of name. */
final class Names {
  // Names become column names and, in the JDBC backend, quoted identifiers: keep them plain.
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private Names() {}

  static String checkName(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid(
          what
              + " '"
              + name
              + "' is not a valid name (letters, digits and _; not starting with a digit)");
    }
    return name;
  }

  static FlightdeckException invalid(String message) {
    return new FlightdeckException(ErrorCode.INVALID_REPOSITORY, message);
  }
}
