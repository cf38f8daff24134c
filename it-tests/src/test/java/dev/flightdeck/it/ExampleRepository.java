package dev.flightdeck.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the committed driver example lives, found from the it-tests module's working directory. */
final class ExampleRepository {
  static final String DRIVER_STATS_FILE = "driver_stats.parquet";
  static final String CUSTOMER_PROFILE_FILE = "customer_profile/part-00000.parquet";

  private ExampleRepository() {}

  static Path directory() {
    Path fromModule = Path.of("..", "examples", "driver_repo").toAbsolutePath().normalize();
    if (!Files.isRegularFile(fromModule.resolve("feature_store.yaml"))) {
      throw new IllegalStateException("driver example not found at " + fromModule);
    }
    return fromModule;
  }
}
