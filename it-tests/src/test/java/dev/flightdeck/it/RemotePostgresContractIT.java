package dev.flightdeck.it;

import dev.flightdeck.backend.jdbc.PostgresContractTest;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.spi.OfflineStore;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The whole contract through the wire: remote over the JDBC backend on Postgres. */
class RemotePostgresContractIT extends PostgresContractTest {
  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator)
      throws Exception {
    return ServedStore.serve(super.createStore(repository, sources, allocator), allocator);
  }
}
