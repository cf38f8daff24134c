package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The file backend's own keys from {@code offline_store}; unknown keys are rejected. */
/**
 * @param batchSize rows per streamed batch
 * @param outputDir the folder, inside the repository, where {@code persist} writes; none: persist
 *     is refused
 */
public record FileBackendConfig(int batchSize, Optional<String> outputDir) {
  public static final String BATCH_SIZE = "batch_size";
  public static final String OUTPUT_DIR = "output_dir";
  public static final int DEFAULT_BATCH_SIZE = 65536;
  private static final Set<String> KNOWN_KEYS = Set.of(BATCH_SIZE, OUTPUT_DIR);

  public FileBackendConfig(int batchSize) {
    this(batchSize, Optional.empty());
  }

  public FileBackendConfig {
    requireNonNull(outputDir, "outputDir is null");
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
    return new FileBackendConfig(
        batchSize, Optional.ofNullable(properties.get(OUTPUT_DIR)).map(String::trim));
  }
}
