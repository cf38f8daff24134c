package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The file backend's own keys from {@code offline_store}; unknown keys are rejected. */
public record FileBackendConfig(int batchSize) {
  public static final String BATCH_SIZE = "batch_size";
  public static final int DEFAULT_BATCH_SIZE = 65536;
  private static final Set<String> KNOWN_KEYS = Set.of(BATCH_SIZE);

  public FileBackendConfig {
    if (batchSize <= 0) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "offline_store." + BATCH_SIZE + " must be > 0, not " + batchSize);
    }
  }

  public static FileBackendConfig defaults() {
    return new FileBackendConfig(DEFAULT_BATCH_SIZE);
  }

  public static FileBackendConfig from(Map<String, String> properties) {
    Set<String> unknown = new TreeSet<>(properties.keySet());
    unknown.removeAll(KNOWN_KEYS);
    if (!unknown.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "unknown offline_store keys for type 'file': "
              + String.join(", ", unknown)
              + " (known: "
              + String.join(", ", new TreeSet<>(KNOWN_KEYS))
              + ")");
    }
    int batchSize = DEFAULT_BATCH_SIZE;
    String value = properties.get(BATCH_SIZE);
    if (value != null) {
      try {
        batchSize = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new FlightdeckException(
            ErrorCode.INVALID_CONFIGURATION,
            "offline_store." + BATCH_SIZE + " must be an integer, not '" + value + "'",
            e);
      }
    }
    return new FileBackendConfig(batchSize);
  }
}
