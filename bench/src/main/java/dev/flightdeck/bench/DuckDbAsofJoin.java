package dev.flightdeck.bench;

import dev.flightdeck.bench.BenchSchema.Feature;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference: Feast's point-in-time join written as DuckDB's {@code ASOF LEFT JOIN}, every row
 * read through JDBC. ASOF picks, per entity row, the source row of the same key with the latest
 * {@code event_timestamp} at or before the entity's; a match older than the TTL gives null
 * features. The created timestamp is not consulted: the bench's (key, event_timestamp) pairs are
 * unique, so it never breaks a tie.
 */
final class DuckDbAsofJoin {
  private final String sql;

  /**
   * @param entities a relation with the key and event time, e.g. {@code read_parquet('...')}
   * @param source a relation with the source's columns
   */
  DuckDbAsofJoin(String entities, String source, Duration ttl) {
    long ttlMicros = ttl.toNanos() / 1_000;
    List<String> columns = new ArrayList<>();
    columns.add("e." + BenchSchema.KEY);
    // Epoch microseconds: a long per row instead of a timestamp object, the cheapest way out of
    // JDBC, so the reference is as fast as DuckDB can be made to go.
    columns.add("epoch_us(e." + BenchSchema.EVENT_TIMESTAMP + ")");
    for (Feature feature : Feature.values()) {
      columns.add(
          "CASE WHEN f."
              + BenchSchema.EVENT_TIMESTAMP
              + " >= e."
              + BenchSchema.EVENT_TIMESTAMP
              + " - to_microseconds("
              + ttlMicros
              + ") THEN f."
              + feature.column
              + " END");
    }
    this.sql =
        "SELECT "
            + String.join(", ", columns)
            + " FROM "
            + entities
            + " e ASOF LEFT JOIN "
            + source
            + " f ON e."
            + BenchSchema.KEY
            + " = f."
            + BenchSchema.KEY
            + " AND e."
            + BenchSchema.EVENT_TIMESTAMP
            + " >= f."
            + BenchSchema.EVENT_TIMESTAMP;
  }

  String sql() {
    return sql;
  }

  /** Runs the join once, reading every row. */
  TimedResult run(Connection connection) throws SQLException {
    ResultSummary summary = new ResultSummary();
    long start = System.nanoTime();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        summary.add(rows);
      }
    }
    return new TimedResult(System.nanoTime() - start, summary);
  }

  /** One unmeasured run to warm DuckDB and the JIT, then the median of {@code runs}. */
  TimedResult median(Connection connection, int runs) throws SQLException {
    run(connection);
    List<TimedResult> measured = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      measured.add(run(connection));
    }
    return TimedResult.median(measured);
  }

  /** A string literal for a path, quotes doubled. */
  static String literal(Object value) {
    return "'" + value.toString().replace("'", "''") + "'";
  }
}
