package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.OfflineStoreFactory;

/** The {@code jdbc} backend: tables or queries in a relational database, joined in the database. */
public final class JdbcOfflineStoreFactory implements OfflineStoreFactory {
  public static final String NAME = "jdbc";

  private final Dialects dialects;

  /** With the built-in dialects and those found as {@link DialectFactory} services. */
  public JdbcOfflineStoreFactory() {
    this(Dialects.load());
  }

  /** With the dialects an embedder chose. */
  public JdbcOfflineStoreFactory(Dialects dialects) {
    this.dialects = requireNonNull(dialects, "dialects is null");
  }

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public OfflineStore create(OfflineStoreContext context) {
    try {
      // The default stage builds the graph on getInstance, so a failing provider surfaces once,
      // as the single cause of a ProvisionException.
      return Guice.createInjector(new JdbcBackendModule(context, dialects))
          .getInstance(JdbcOfflineStore.class);
    } catch (RuntimeException e) {
      throw OfflineStoreFactory.unwrapCreation(e);
    }
  }
}
