package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;

import java.util.List;

/**
 * Something features describe (a driver, a customer), identified by the values of its join keys.
 */
public record Entity(String name, List<String> joinKeys) {
  public Entity {
    checkName(name, "entity name");
    joinKeys = List.copyOf(joinKeys);
    if (joinKeys.isEmpty()) {
      throw Names.invalid("entity '" + name + "' has no join_keys");
    }
    joinKeys.forEach(key -> checkName(key, "join key of entity '" + name + "'"));
  }
}
