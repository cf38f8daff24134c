package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.tables.ParquetTableWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the committed Parquet files of {@code examples/driver_repo} equal in schema and rows to
 * what {@link DriverExampleData} generates. With {@code -Dflightdeck.regenerate=true} it rewrites
 * them instead.
 */
class ExampleDataIT {
  static final String REGENERATE = "flightdeck.regenerate";

  @TempDir Path scratch;

  @Test
  void committedExampleDataMatchesTheGenerator() throws IOException {
    Path data = ExampleRepository.directory().resolve("data");
    boolean regenerate = Boolean.getBoolean(REGENERATE);
    Path target = regenerate ? data : scratch;
    try (BufferAllocator allocator = new RootAllocator()) {
      write(
          allocator,
          DriverExampleData::driverStats,
          target.resolve(ExampleRepository.DRIVER_STATS_FILE));
      write(
          allocator,
          DriverExampleData::customerProfile,
          target.resolve(ExampleRepository.CUSTOMER_PROFILE_FILE));
    }
    if (!regenerate) {
      for (String file :
          new String[] {
            ExampleRepository.DRIVER_STATS_FILE, ExampleRepository.CUSTOMER_PROFILE_FILE
          }) {
        assertThat(ParquetContent.of(data.resolve(file)))
            .as(
                "%s is stale; regenerate with the command in examples/README.md (-D%s=true)",
                file, REGENERATE)
            .isEqualTo(ParquetContent.of(scratch.resolve(file)));
      }
    }
  }

  private static void write(
      BufferAllocator allocator, Function<BufferAllocator, VectorSchemaRoot> table, Path file) {
    try (VectorSchemaRoot root = table.apply(allocator)) {
      ParquetTableWriter.write(root, file);
    }
  }
}
