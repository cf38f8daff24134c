package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Identifiers in generated SQL. They come only from the repository or from names a request gives
 * (columns), are checked to be plain identifiers, and are quoted with the driver's quote string, so
 * no name can change a statement's meaning. Values are always bound parameters.
 */
public final class SqlNames {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final String quote;

  /**
   * @param quote the driver's identifier quote string; blank means the database has none
   */
  public SqlNames(String quote) {
    requireNonNull(quote, "quote is null");
    this.quote = quote.isBlank() ? "\"" : quote;
  }

  /** One quoted identifier; INVALID_PARAMETER naming {@code what} when it is not plain. */
  public String quote(String identifier, String what) {
    check(identifier, what);
    return quote + identifier + quote;
  }

  /** A table name, optionally schema-qualified ({@code schema.table}), each part quoted. */
  public String table(String name, String what) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("\\.", -1)) {
      parts.add(quote(part, what));
    }
    if (parts.size() > 3) {
      throw invalid(what, name);
    }
    return String.join(".", parts);
  }

  public static void check(String identifier, String what) {
    if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
      throw invalid(what, identifier);
    }
  }

  private static FlightdeckException invalid(String what, String identifier) {
    return new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        what
            + " '"
            + identifier
            + "' is not a plain SQL identifier (letters, digits and '_', not starting with a"
            + " digit)");
  }
}
