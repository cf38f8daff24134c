package dev.flightdeck.backend.jdbc.trino;

import dev.flightdeck.backend.jdbc.JdbcContractTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

public class DevTrinoContractTest extends JdbcContractTest {
  private String url;

  @BeforeEach
  void schema() throws Exception {
    String base = System.getProperty("dev.trino");
    Assumptions.assumeTrue(base != null);
    String schema = "c" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c = DriverManager.getConnection(base + "/memory", credentials());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA memory." + schema);
    }
    url = base + "/memory/" + schema;
  }

  @Override
  protected java.util.Map<String, String> dialectSettings() {
    String staging = System.getProperty("dev.staging");
    if (staging == null) {
      return java.util.Map.of("entity_schema", "memory.default");
    }
    return java.util.Map.of(
        "staging_location", staging, "staging_schema", "hive.staging", "staging_min_rows", "1");
  }

  @Override
  protected String url() {
    return url;
  }

  @Override
  protected Properties credentials() {
    Properties p = new Properties();
    p.setProperty("user", "flightdeck");
    return p;
  }
}
