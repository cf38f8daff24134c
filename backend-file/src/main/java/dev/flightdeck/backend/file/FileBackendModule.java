package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.flightdeck.spi.OfflineStoreContext;

/** The file backend's wiring, used only by its own injector. */
public final class FileBackendModule extends AbstractModule {
  private final OfflineStoreContext context;

  public FileBackendModule(OfflineStoreContext context) {
    this.context = requireNonNull(context, "context is null");
  }

  @Override
  protected void configure() {
    bind(OfflineStoreContext.class).toInstance(context);
    bind(FileOfflineStore.class).in(Singleton.class);
  }

  @Provides
  @Singleton
  FileBackendConfig config(OfflineStoreContext context) {
    return FileBackendConfig.from(context.config());
  }

  @Provides
  @Singleton
  SourceCatalog catalog(OfflineStoreContext context) {
    return SourceCatalog.check(context.repository(), SourcePaths.of(context));
  }
}
