package dev.flightdeck.backend.file;

import dev.flightdeck.contract.OfflineStoreContractTest;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.OfflineStoreConfig;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.tables.ParquetTableWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared backend contract, run against Parquet files: each source is a folder with one part
 * file, and persist writes into {@code output/}. Public so the remote run can reuse it.
 */
public class FileOfflineStoreContractTest extends OfflineStoreContractTest {
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
    return new FileOfflineStoreFactory()
        .create(
            new OfflineStoreContext(
                repository.withOfflineStore(
                    new OfflineStoreConfig("file", offlineStoreProperties())),
                repositoryDir,
                allocator));
  }

  @Override
  protected void replaceSource(String name, VectorSchemaRoot table) {
    ParquetTableWriter.write(
        table, repositoryDir.resolve("data").resolve(name).resolve("part-0.parquet"));
  }

  /** The backend's keys: persist writes into {@code output/}; the view cache keeps its default. */
  protected Map<String, String> offlineStoreProperties() {
    return Map.of(FileBackendConfig.OUTPUT_DIR, "output");
  }
}
