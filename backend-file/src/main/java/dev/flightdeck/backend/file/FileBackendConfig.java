package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file backend's own keys from {@code offline_store}; unknown keys are rejected.
 *
 * @param batchSize rows per streamed batch
 * @param outputDir the folder, inside the repository, where {@code persist} writes; none: persist
 *     is refused
 * @param cacheSize bytes of decoded feature views kept between requests; 0 turns the cache off
 */
public record FileBackendConfig(int batchSize, Optional<String> outputDir, long cacheSize) {
  public static final String BATCH_SIZE = "batch_size";
  public static final String OUTPUT_DIR = "output_dir";
  public static final String CACHE_SIZE = "cache_size";
  public static final int DEFAULT_BATCH_SIZE = 65536;
  public static final long DEFAULT_CACHE_SIZE = 512L << 20;
  private static final Set<String> KNOWN_KEYS = Set.of(BATCH_SIZE, OUTPUT_DIR, CACHE_SIZE);

  public FileBackendConfig(int batchSize) {
    this(batchSize, Optional.empty(), DEFAULT_CACHE_SIZE);
  }

  public FileBackendConfig {
    requireNonNull(outputDir, "outputDir is null");
    if (cacheSize < 0) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "offline_store."
              + CACHE_SIZE
              + " must be >= 0 (0 turns the cache off), not "
              + cacheSize);
    }
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
    String cacheSize = properties.get(CACHE_SIZE);
    return new FileBackendConfig(
        batchSize,
        Optional.ofNullable(properties.get(OUTPUT_DIR)).map(String::trim),
        cacheSize == null ? DEFAULT_CACHE_SIZE : bytes(CACHE_SIZE, cacheSize));
  }

  /** {@code 536870912}, {@code 512MiB}, {@code 2GiB}, {@code 64KiB}. */
  private static long bytes(String key, String value) {
    Matcher matcher = SIZE.matcher(value.strip());
    if (!matcher.matches()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "offline_store."
              + key
              + " must be a size such as 512MiB or 2GiB (or bytes), not '"
              + value
              + "'");
    }
    long unit =
        switch (matcher.group(2) == null ? "" : matcher.group(2)) {
          case "KiB" -> 1L << 10;
          case "MiB" -> 1L << 20;
          case "GiB" -> 1L << 30;
          default -> 1L;
        };
    try {
      return Math.multiplyExact(Long.parseLong(matcher.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION, "offline_store." + key + " is too large: " + value, e);
    }
  }

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(KiB|MiB|GiB)?");
}
