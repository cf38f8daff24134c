package dev.flightdeck.backend.jdbc;

import java.util.UUID;

/** The contract on H2, in memory: a new database per test. */
public class H2ContractTest extends JdbcContractTest {
  private final String url = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

  @Override
  protected String url() {
    return url;
  }
}
