package dev.flightdeck.backend.jdbc;

import com.google.inject.Guice;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.OfflineStoreFactory;

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
      // The default stage builds the graph on getInstance, so a failing provider surfaces once,
      // as the single cause of a ProvisionException.
      return Guice.createInjector(new JdbcBackendModule(context))
          .getInstance(JdbcOfflineStore.class);
    } catch (RuntimeException e) {
      throw OfflineStoreFactory.unwrapCreation(e);
    }
  }
}
