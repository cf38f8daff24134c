package dev.flightdeck.it;

import dev.flightdeck.backend.jdbc.JdbcContractTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The backend contract on a real two-node Trino cluster (started once per run by {@link
 * TrinoCluster}): sources are tables of the memory connector, in a new schema per test, and entity
 * rows go in by INSERT into a table of that schema.
 */
class TrinoContractIT extends JdbcContractTest {
  protected static TrinoCluster cluster;
  protected String schema;

  /** In each test, not once: a skip (no Java 24+ for the nodes) is then counted per test. */
  @BeforeEach
  void createSchema() throws SQLException {
    cluster = TrinoCluster.get();
    schema = "contract_" + UUID.randomUUID().toString().replace("-", "");
    execute("memory", "CREATE SCHEMA memory." + schema);
  }

  /** Every job drops its entity table when it ends, however it ends. */
  @AfterEach
  void noEntityTableIsLeft() throws Exception {
    assertNoEntityTables("memory");
  }

  void assertNoEntityTables(String catalog) throws Exception {
    Poll.until(
        "the entity tables of " + catalog + "." + schema + " are dropped",
        Duration.ofSeconds(10),
        () -> entityTables(catalog).isEmpty());
  }

  private List<String> entityTables(String catalog) {
    List<String> tables = new ArrayList<>();
    try (Connection connection = cluster.connect(catalog, schema);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW TABLES LIKE 'fd_entities%'")) {
      while (result.next()) {
        tables.add(result.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return tables;
  }

  static void execute(String catalog, String sql) throws SQLException {
    try (Connection connection = cluster.connect(catalog, null);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  @Override
  protected String url() {
    return cluster.jdbcUrl("memory", schema);
  }

  @Override
  protected Properties credentials() {
    Properties credentials = new Properties();
    credentials.setProperty("user", TrinoCluster.USER);
    return credentials;
  }

  @Override
  protected Map<String, String> dialectSettings() {
    return Map.of("entity_schema", "memory." + schema);
  }
}
