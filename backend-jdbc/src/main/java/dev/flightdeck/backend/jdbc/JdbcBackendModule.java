package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.OfflineStoreContext;
import java.sql.SQLException;

/** The JDBC backend's wiring, used only by its own injector. */
final class JdbcBackendModule extends AbstractModule {
  private final OfflineStoreContext context;
  private final Dialects dialects;

  JdbcBackendModule(OfflineStoreContext context, Dialects dialects) {
    this.context = requireNonNull(context, "context is null");
    this.dialects = requireNonNull(dialects, "dialects is null");
  }

  @Provides
  @Singleton
  JdbcBackendConfig config() {
    String repositoryDir = context.repositoryDir().toAbsolutePath().normalize().toString();
    return JdbcBackendConfig.from(
        context.config(),
        name -> name.equals(JdbcBackendConfig.REPOSITORY_DIR) ? repositoryDir : System.getenv(name),
        dialects);
  }

  @Provides
  @Singleton
  Dialect dialect(JdbcBackendConfig config) {
    return dialects.forUrl(config.url()).create(config.url(), config.dialectSettings());
  }

  @Provides
  @Singleton
  JdbcOfflineStore store(JdbcBackendConfig config, Dialect dialect) {
    ConnectionPool pool = new ConnectionPool(config, dialect);
    try {
      SqlNames names;
      try (ConnectionPool.Lease lease = pool.borrow()) {
        names = new SqlNames(lease.connection().getMetaData().getIdentifierQuoteString());
      } catch (SQLException e) {
        throw new FlightdeckException(
            ErrorCode.BACKEND_FAILURE, "cannot read the database's metadata: " + e.getMessage(), e);
      }
      return new JdbcOfflineStore(
          new JdbcContext(
              config,
              dialect,
              pool,
              names,
              context.repository(),
              context.allocator().newChildAllocator("jdbc-offline-store", 0, Long.MAX_VALUE)));
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }
}
