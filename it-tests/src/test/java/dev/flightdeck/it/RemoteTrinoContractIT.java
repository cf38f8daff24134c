package dev.flightdeck.it;

import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.spi.OfflineStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The whole contract through the wire on the Trino cluster, with every entity table staged as a
 * Parquet file under an external table of the Hive catalog (the other shipping method from {@link
 * TrinoContractIT}'s).
 */
class RemoteTrinoContractIT extends TrinoContractIT {
  private Path staging;

  @BeforeEach
  void createStagingSchema() throws SQLException {
    staging = cluster.newHiveDirectory("staging");
    execute("hive", "CREATE SCHEMA hive." + schema);
  }

  /** Staged tables and their files go when the job ends. */
  @AfterEach
  @Override
  void noEntityTableIsLeft() throws Exception {
    assertNoEntityTables("hive");
    Poll.until(
        "the staged files under " + staging + " are deleted",
        Duration.ofSeconds(10),
        () -> {
          try (Stream<Path> files = Files.list(staging)) {
            return files.findAny().isEmpty();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  @Override
  protected Map<String, String> dialectSettings() {
    return Map.of(
        "staging_location",
        TrinoCluster.location(staging),
        "staging_schema",
        "hive." + schema,
        "staging_min_rows",
        "1");
  }

  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator)
      throws Exception {
    return ServedStore.serve(super.createStore(repository, sources, allocator), allocator);
  }
}
