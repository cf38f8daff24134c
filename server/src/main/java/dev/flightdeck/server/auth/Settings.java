package dev.flightdeck.server.auth;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** An authenticator's settings, checked: unknown keys and missing required ones are refused. */
final class Settings {
  private final String type;
  private final Map<String, String> values;

  private Settings(String type, Map<String, String> values) {
    this.type = type;
    this.values = values;
  }

  static Settings check(String type, Map<String, String> values, Set<String> known) {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw invalid(
          type, "has unknown settings " + unknown + " (known: " + new TreeSet<>(known) + ")");
    }
    return new Settings(type, values);
  }

  String required(String key) {
    return optional(key).orElseThrow(() -> invalid(type, "needs the setting '" + key + "'"));
  }

  Optional<String> optional(String key) {
    return Optional.ofNullable(values.get(key)).filter(value -> !value.isBlank());
  }

  /** Roles written {@code read+write} (or with spaces or '|' between them). */
  Set<Role> roles(String key, String defaultRoles) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : optional(key).orElse(defaultRoles).split("[+| ]+")) {
      if (!name.isBlank()) {
        try {
          roles.add(Role.named(name.strip()));
        } catch (FlightdeckException e) {
          throw invalid(type, "setting '" + key + "': " + e.getMessage());
        }
      }
    }
    return roles;
  }

  static FlightdeckException invalid(String type, String problem) {
    return new FlightdeckException(
        ErrorCode.INVALID_CONFIGURATION, "authenticator '" + type + "' " + problem);
  }
}
