package dev.flightdeck.it;

import dev.flightdeck.backend.jdbc.H2ContractTest;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.spi.OfflineStore;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The whole contract through the wire: remote over the JDBC backend on H2. */
class RemoteH2ContractIT extends H2ContractTest {
  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator)
      throws Exception {
    return ServedStore.serve(super.createStore(repository, sources, allocator), allocator);
  }
}
