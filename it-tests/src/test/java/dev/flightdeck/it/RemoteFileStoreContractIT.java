package dev.flightdeck.it;

import dev.flightdeck.backend.file.FileBackendConfig;
import dev.flightdeck.backend.file.FileOfflineStoreFactory;
import dev.flightdeck.backend.file.ParquetTableWriter;
import dev.flightdeck.contract.OfflineStoreContractTest;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.OfflineStoreConfig;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.io.TempDir;

/** The whole backend contract again, through the wire: remote over the Parquet backend. */
class RemoteFileStoreContractIT extends OfflineStoreContractTest {
  @TempDir Path repositoryDir;

  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator) {
    sources.forEach(
        (name, table) ->
            ParquetTableWriter.write(
                table, repositoryDir.resolve("data").resolve(name).resolve("part-0.parquet")));
    OfflineStore backend =
        new FileOfflineStoreFactory()
            .create(new OfflineStoreContext(withOutputDir(repository), repositoryDir, allocator));
    return ServedStore.serve(backend, allocator);
  }

  /** Persist writes into {@code output/} of the repository. */
  static FeatureRepository withOutputDir(FeatureRepository repository) {
    return repository.withOfflineStore(
        new OfflineStoreConfig("file", Map.of(FileBackendConfig.OUTPUT_DIR, "output")));
  }
}
