package dev.flightdeck.server;

import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.OfflineStoreFactory;

/**
 * Offers {@link FakeOfflineStore} as backend {@code fake}, so CLI tests can serve a repository
 * without Parquet.
 */
public final class FakeStoreFactory implements OfflineStoreFactory {
  @Override
  public String getName() {
    return "fake";
  }

  @Override
  public OfflineStore create(OfflineStoreContext context) {
    return new FakeOfflineStore(context.allocator());
  }
}
