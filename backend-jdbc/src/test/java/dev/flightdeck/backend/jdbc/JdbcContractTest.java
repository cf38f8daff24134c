package dev.flightdeck.backend.jdbc;

import dev.flightdeck.contract.OfflineStoreContractTest;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The whole offline-store contract on a database: each source becomes a table of its name. A
 * subclass gives a fresh, empty database per test.
 */
public abstract class JdbcContractTest extends OfflineStoreContractTest {
  /** The JDBC URL of an empty database for this test. */
  protected abstract String url();

  protected Properties credentials() {
    return new Properties();
  }

  /** The dialect's own offline_store keys, if the test sets any. */
  protected Map<String, String> dialectSettings() {
    return Map.of();
  }

  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator)
      throws Exception {
    String url = url();
    for (Map.Entry<String, VectorSchemaRoot> source : sources.entrySet()) {
      DatabaseTables.create(url, credentials(), source.getKey(), source.getValue());
    }
    Map<String, String> config = new HashMap<>();
    config.put(JdbcBackendConfig.URL, url);
    credentials()
        .stringPropertyNames()
        .forEach(key -> config.put(key, credentials().getProperty(key)));
    config.putAll(dialectSettings());
    return new JdbcOfflineStoreFactory()
        .create(
            new OfflineStoreContext(
                DatabaseTables.onTables(repository, config), Path.of("."), allocator));
  }

  /** The jdbc backend refuses list features at start: see {@code JdbcOfflineStore}. */
  @Override
  protected boolean supportsListFeatures() {
    return false;
  }

  @Override
  protected void replaceSource(String name, VectorSchemaRoot table) throws Exception {
    DatabaseTables.replace(url(), credentials(), name, table);
  }
}
