package dev.flightdeck.backend.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.spi.OfflineStoreRegistry;
import org.junit.jupiter.api.Test;

class TestFileOfflineStoreFactory {
  @Test
  void serviceLoaderFindsTheFactoryByName() {
    OfflineStoreRegistry registry = OfflineStoreRegistry.discover();

    assertThat(registry.names()).contains("file");
    assertThat(registry.factory("file")).isInstanceOf(FileOfflineStoreFactory.class);
  }
}
