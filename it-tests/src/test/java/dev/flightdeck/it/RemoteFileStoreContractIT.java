package dev.flightdeck.it;

import dev.flightdeck.backend.file.FileOfflineStoreContractTest;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.spi.OfflineStore;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The whole backend contract again, through the wire: remote over the Parquet backend. */
class RemoteFileStoreContractIT extends FileOfflineStoreContractTest {
  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator) {
    return ServedStore.serve(super.createStore(repository, sources, allocator), allocator);
  }
}
