package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The {@code offline_store} section: the backend's name and its own keys, which the backend
 * validates strictly.
 */
public record OfflineStoreConfig(String type, Map<String, String> properties) {
  public OfflineStoreConfig {
    requireNonNull(type, "type is null");
    properties = Map.copyOf(properties);
  }
}
