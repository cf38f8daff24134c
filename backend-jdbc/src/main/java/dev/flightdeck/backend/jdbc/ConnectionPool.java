package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * At most {@code pool_size} connections, reused: a caller borrows one for a statement or a
 * transaction and returns it by closing the lease. A connection that fails its validity check is
 * replaced. Every connection is set up once by the dialect (UTC session time zone).
 */
final class ConnectionPool implements AutoCloseable {
  private final JdbcBackendConfig config;
  private final Dialect dialect;
  private final Semaphore permits;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private boolean closed;

  ConnectionPool(JdbcBackendConfig config, Dialect dialect) {
    this.config = requireNonNull(config, "config is null");
    this.dialect = requireNonNull(dialect, "dialect is null");
    this.permits = new Semaphore(config.poolSize(), true);
  }

  /** A connection in auto-commit mode, for the caller alone until the lease closes. */
  Lease borrow() {
    try {
      if (!permits.tryAcquire(config.statementTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new FlightdeckException(
            ErrorCode.SERVER_UNAVAILABLE,
            "all "
                + config.poolSize()
                + " database connections stayed busy for "
                + config.statementTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlightdeckException(
          ErrorCode.SERVER_UNAVAILABLE, "interrupted waiting for a connection", e);
    }
    try {
      return new Lease(take());
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
  }

  private Connection take() {
    while (true) {
      Connection connection;
      synchronized (this) {
        if (closed) {
          throw new FlightdeckException(ErrorCode.SERVER_UNAVAILABLE, "the store is closed");
        }
        connection = idle.pollFirst();
      }
      if (connection == null) {
        return open();
      }
      try {
        if (connection.isValid(5)) {
          return connection;
        }
      } catch (SQLException e) {
        // fall through: replace it
      }
      closeQuietly(connection);
    }
  }

  private Connection open() {
    try {
      Properties properties = new Properties();
      config.user().ifPresent(user -> properties.setProperty("user", user));
      config.password().ifPresent(password -> properties.setProperty("password", password));
      Connection connection = DriverManager.getConnection(config.url(), properties);
      try {
        dialect.setUp(connection);
        return connection;
      } catch (SQLException | RuntimeException e) {
        closeQuietly(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "cannot connect to " + config.url() + ": " + e.getMessage(),
          e);
    }
  }

  private void giveBack(Connection connection, boolean broken) {
    try {
      boolean keep = !broken;
      if (keep) {
        try {
          if (!connection.getAutoCommit()) {
            connection.rollback();
            connection.setAutoCommit(true);
          }
        } catch (SQLException e) {
          keep = false;
        }
      }
      synchronized (this) {
        if (keep && !closed) {
          idle.addFirst(connection);
          return;
        }
      }
      closeQuietly(connection);
    } finally {
      permits.release();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    idle.forEach(ConnectionPool::closeQuietly);
    idle.clear();
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      // already unusable
    }
  }

  /** One borrowed connection; closing the lease returns it. */
  final class Lease implements AutoCloseable {
    private final Connection connection;
    private boolean broken;
    private boolean returned;

    private Lease(Connection connection) {
      this.connection = connection;
    }

    Connection connection() {
      return connection;
    }

    /** The connection is in an unknown state (a failed statement mid-stream): do not reuse it. */
    void markBroken() {
      broken = true;
    }

    @Override
    public void close() {
      if (!returned) {
        returned = true;
        giveBack(connection, broken);
      }
    }
  }
}
