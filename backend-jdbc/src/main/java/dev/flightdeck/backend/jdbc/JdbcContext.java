package dev.flightdeck.backend.jdbc;

import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureRepository;
import org.apache.arrow.memory.BufferAllocator;

/** What every part of the JDBC store shares: its settings, database, names and memory. */
record JdbcContext(
    JdbcBackendConfig config,
    Dialect dialect,
    ConnectionPool pool,
    SqlNames names,
    FeatureRepository repository,
    BufferAllocator allocator) {

  int timeoutSeconds() {
    return (int) Math.min(Integer.MAX_VALUE, config.statementTimeout().toSeconds());
  }

  SourceRelation relation(DataSource source) {
    return new SourceRelation(source, names);
  }

  SourceRelation relation(String dataSource) {
    return relation(repository.dataSource(dataSource));
  }
}
