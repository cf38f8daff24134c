package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The committed driver example: where it lives, and entity tables to ask it about. */
final class ExampleRepository {
  static final String DRIVER_STATS_FILE = "driver_stats.parquet";
  static final String CUSTOMER_PROFILE_FILE = "customer_profile/part-00000.parquet";

  private ExampleRepository() {}

  static Path directory() {
    return example("driver_repo");
  }

  /** The same example on an H2 database file, for the JDBC backend. */
  static Path jdbcDirectory() {
    return example("driver_repo_jdbc");
  }

  /** A Feast repository folder, served as Feast's tools left it. */
  static Path feastDirectory() {
    return example("feast_repo");
  }

  private static Path example(String name) {
    Path fromModule = Path.of("..", "examples", name).toAbsolutePath().normalize();
    if (!Files.isRegularFile(fromModule.resolve("feature_store.yaml"))) {
      throw new IllegalStateException("driver example not found at " + fromModule);
    }
    return fromModule;
  }

  /** Every feature of the example's two views. */
  static final List<String> FEATURES =
      List.of(
          "driver_hourly_stats:conv_rate",
          "driver_hourly_stats:acc_rate",
          "driver_hourly_stats:avg_daily_trips",
          "customer_profile:current_balance",
          "customer_profile:lifetime_trip_count");

  /**
   * A different entity table per seed: every driver with a customer, at instants across the data
   * (and beyond it, where TTLs expire), in an order that is not sorted by time.
   */
  static VectorSchemaRoot entityGrid(BufferAllocator allocator, int seed) {
    return entityGrid(allocator, seed, 40);
  }

  /** As above, with {@code rows} rows. */
  static VectorSchemaRoot entityGrid(BufferAllocator allocator, int seed, int rows) {
    TestTable table =
        TestTable.with(allocator)
            .int64("driver_id")
            .int64("customer_id")
            .timestamp("event_timestamp");
    Instant start = Instant.parse("2023-12-31T20:00:00Z");
    for (int i = 0; i < rows; i++) {
      long driver = 1001 + (i + seed) % 6; // 1006 has no data
      long customer = 201 + (i * 3 + seed) % 5;
      long minutes = ((i * 97L + seed * 41L) % (5 * 24 * 60));
      table.row(driver, customer, start.plus(Duration.ofMinutes(minutes)));
    }
    return table.build();
  }

  /**
   * {@code actual} answers every entity grid of three seeds with exactly {@code expected}'s rows
   * and schema.
   */
  static void assertSameAnswers(
      OfflineStore expected, OfflineStore actual, BufferAllocator allocator) {
    for (int seed = 0; seed < 3; seed++) {
      try (VectorSchemaRoot entities = entityGrid(allocator, seed);
          RetrievalJob expectedJob =
              expected.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES));
          VectorSchemaRoot expectedRows = expectedJob.toArrow(allocator);
          RetrievalJob actualJob =
              actual.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES));
          VectorSchemaRoot actualRows = actualJob.toArrow(allocator)) {
        assertThat(actualRows.getSchema()).isEqualTo(expectedRows.getSchema());
        assertThat(TableRows.of(actualRows))
            .as("seed %d", seed)
            .isEqualTo(TableRows.of(expectedRows));
      }
    }
  }

  /** A private copy of the example, for tests that write to it. */
  static void copyTo(Path target) throws IOException {
    copy(directory(), target);
  }

  static void copy(Path from, Path target) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(target.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(file, target.resolve(from.relativize(file).toString()));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Driver 1001's avg_daily_trips at 2024-01-01T10:30Z through {@code store}: 601 in the example. A
   * whole retrieval, for tests that only need to know a store answers.
   */
  static long tripsOfDriver1001(OfflineStore store, BufferAllocator allocator) {
    try (VectorSchemaRoot entities =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(1001L, TestTable.at("2024-01-01T10:30:00Z"))
                .build();
        RetrievalJob job =
            store.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(
                    entities, List.of("driver_hourly_stats:avg_daily_trips")));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      return (Long) result.getVector("avg_daily_trips").getObject(0);
    }
  }
}
