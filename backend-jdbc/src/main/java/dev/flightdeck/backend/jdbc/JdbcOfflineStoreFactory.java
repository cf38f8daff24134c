package dev.flightdeck.backend.jdbc;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.OfflineStoreFactory;
import java.util.Collection;

/** The {@code jdbc} backend: tables or queries in a relational database, joined in the database. */
public final class JdbcOfflineStoreFactory implements OfflineStoreFactory {
  public static final String NAME = "jdbc";

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public OfflineStore create(OfflineStoreContext context) {
    try {
      return Guice.createInjector(Stage.PRODUCTION, new JdbcBackendModule(context))
          .getInstance(JdbcOfflineStore.class);
    } catch (ProvisionException e) {
      throw unwrap(e, e.getErrorMessages());
    } catch (CreationException e) {
      throw unwrap(e, e.getErrorMessages());
    }
  }

  /** Guice wraps what providers throw; callers must see our own error, with its code. */
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
