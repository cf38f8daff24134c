package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One authenticator a server runs: its factory's type and its settings. */
public record AuthenticatorConfig(String type, Map<String, String> settings) {
  public AuthenticatorConfig {
    requireNonNull(type, "type is null");
    settings = Map.copyOf(settings);
  }

  /** {@code TYPE} or {@code TYPE:key=value,key=value}, the form of {@code serve --auth}. */
  public static AuthenticatorConfig parse(String spec) {
    int colon = spec.indexOf(':');
    String type = (colon < 0 ? spec : spec.substring(0, colon)).strip();
    if (type.isEmpty()) {
      throw invalid(spec, "names no authenticator type");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    if (colon >= 0 && !spec.substring(colon + 1).isBlank()) {
      for (String pair : spec.substring(colon + 1).split(",")) {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
          throw invalid(spec, "has '" + pair + "' where key=value belongs");
        }
        if (settings.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip())
            != null) {
          throw invalid(spec, "repeats setting '" + pair.substring(0, equals).strip() + "'");
        }
      }
    }
    return new AuthenticatorConfig(type, settings);
  }

  private static FlightdeckException invalid(String spec, String problem) {
    return new FlightdeckException(
        ErrorCode.INVALID_CONFIGURATION,
        "authenticator '" + spec + "' " + problem + " (form: TYPE or TYPE:key=value,key=value)");
  }
}
