package dev.flightdeck.server.auth;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a principal may do: {@code read} retrieves and inspects, {@code write} stores. */
public enum Role {
  READ,
  WRITE;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role named(String name) {
    for (Role role : values()) {
      if (role.yamlName().equals(name)) {
        return role;
      }
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_CONFIGURATION,
        "unknown role '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(Role::yamlName).collect(Collectors.joining(", "))
            + ")");
  }
}
