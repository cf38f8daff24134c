package dev.flightdeck.backend.file;

import com.google.inject.Guice;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.OfflineStoreFactory;

/** The {@code file} backend: Parquet files in the repository folder, joined in the JVM. */
public final class FileOfflineStoreFactory implements OfflineStoreFactory {
  public static final String NAME = "file";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public OfflineStore create(OfflineStoreContext context) {
    try {
      // The default stage builds the graph on getInstance, so a failing provider surfaces once,
      // as the single cause of a ProvisionException.
      return Guice.createInjector(new FileBackendModule(context))
          .getInstance(FileOfflineStore.class);
    } catch (RuntimeException e) {
      throw OfflineStoreFactory.unwrapCreation(e);
    }
  }
}
