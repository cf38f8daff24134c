package dev.flightdeck.backend.file;

import java.util.Map;

/** The backend contract again with the view cache off: both read paths answer alike. */
class UncachedFileOfflineStoreContractTest extends FileOfflineStoreContractTest {
  @Override
  protected Map<String, String> offlineStoreProperties() {
    return Map.of(FileBackendConfig.OUTPUT_DIR, "output", FileBackendConfig.CACHE_SIZE, "0");
  }
}
