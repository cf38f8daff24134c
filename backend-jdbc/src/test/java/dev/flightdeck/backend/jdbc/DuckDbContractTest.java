package dev.flightdeck.backend.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on DuckDB, in memory: a new named database per test, shared by the pool. A named
 * in-memory database lives while a connection to it is open, so the test holds one.
 */
public class DuckDbContractTest extends JdbcContractTest {
  private final String url = "jdbc:duckdb:memory:" + UUID.randomUUID().toString().replace("-", "");
  private Connection keepAlive;

  @BeforeEach
  void openDatabase() throws SQLException {
    keepAlive = DriverManager.getConnection(url);
  }

  @AfterEach
  void closeDatabase() throws SQLException {
    keepAlive.close();
  }

  @Override
  protected String url() {
    return url;
  }
}
