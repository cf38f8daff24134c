package dev.flightdeck.backend.file;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.OfflineStoreFactory;
import java.util.Collection;

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
      Injector injector = Guice.createInjector(Stage.PRODUCTION, new FileBackendModule(context));
      return injector.getInstance(FileOfflineStore.class);
    } catch (ProvisionException e) {
      throw unwrap(e, e.getErrorMessages());
    } catch (CreationException e) {
      throw unwrap(e, e.getErrorMessages());
    }
  }

  /**
   * Guice wraps what providers throw; callers must see our own error, with its code and message.
   */
  private static RuntimeException unwrap(
      RuntimeException guiceError, Collection<Message> messages) {
    for (Message message : messages) {
      for (Throwable cause = message.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof FlightdeckException flightdeck) {
          return flightdeck;
        }
      }
    }
    return guiceError;
  }
}
