package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.feast.FeastFixture;
import dev.flightdeck.feast.FeastRepositoryLoader;
import dev.flightdeck.repository.RepositoryLoaders;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RepositorySource;
import dev.flightdeck.spi.RetrievalJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the committed {@code examples/feast_repo} (its binary {@code data/registry.db} and Parquet
 * data) equal to what {@link FeastFixture} generates, and serves it as committed. With {@code
 * -Dflightdeck.regenerate=true} it rewrites them instead.
 */
class FeastExampleIT {
  private static final String REGISTRY = FeastFixture.REGISTRY;
  private static final List<String> DATA =
      List.of("data/driver_stats.parquet", "data/" + FeastFixture.CUSTOMER_FILE);

  @TempDir Path scratch;

  @Test
  void committedRegistryAndDataMatchTheGenerator() throws IOException {
    Path example = ExampleRepository.feastDirectory();
    boolean regenerate = Boolean.getBoolean(ExampleDataIT.REGENERATE);
    Path target = regenerate ? example : scratch;
    try (BufferAllocator allocator = new RootAllocator()) {
      FeastFixture.writeDataAndRegistry(target, Optional.empty(), allocator);
    }
    if (regenerate) {
      return;
    }
    assertThat(FeastRepositoryLoader.readRegistry(example.resolve(REGISTRY)))
        .as(
            "%s is stale; regenerate with the command in examples/README.md (-D%s=true)",
            REGISTRY, ExampleDataIT.REGENERATE)
        .isEqualTo(FeastRepositoryLoader.readRegistry(scratch.resolve(REGISTRY)));
    for (String file : DATA) {
      assertThat(ParquetContent.of(example.resolve(file)))
          .as("%s is stale; regenerate with the command in examples/README.md", file)
          .isEqualTo(ParquetContent.of(scratch.resolve(file)));
    }
  }

  @Test
  void theCommittedExampleIsServedAsItIs() {
    RepositorySource source =
        RepositorySource.of(ExampleRepository.feastDirectory())
            .withLoaders(RepositoryLoaders.standard().with(new FeastRepositoryLoader()));
    try (BufferAllocator allocator = new RootAllocator();
        OfflineStore store = OfflineStoreRegistry.discover().open(source, allocator);
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        RetrievalJob job =
            store.getHistoricalFeatures(
                new HistoricalFeaturesRequest(
                    entities, FeatureSelection.service("driver_activity"), true));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(TableRows.of(result)).containsExactlyElementsOf(FeastFixture.EXPECTED);
    }
  }
}
