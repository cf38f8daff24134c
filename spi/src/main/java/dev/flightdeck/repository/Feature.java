package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;
import static java.util.Objects.requireNonNull;

/** One typed feature of a feature view. */
public record Feature(String name, ValueType type) {
  public Feature {
    checkName(name, "feature name");
    requireNonNull(type, "type is null");
  }
}
