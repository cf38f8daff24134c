package dev.flightdeck.backend.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract on a real PostgreSQL, started from the build on a free port (no Docker here); a new
 * database per test.
 */
public class PostgresContractTest extends JdbcContractTest {
  private static EmbeddedPostgres postgres;
  private String database;

  @BeforeAll
  static void start() throws IOException {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stop() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void createDatabase() throws SQLException {
    database = "contract_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + database);
    }
  }

  @Override
  protected String url() {
    return postgres.getJdbcUrl("postgres", database);
  }

  @Override
  protected Properties credentials() {
    Properties credentials = new Properties();
    credentials.setProperty("user", "postgres");
    return credentials;
  }
}
