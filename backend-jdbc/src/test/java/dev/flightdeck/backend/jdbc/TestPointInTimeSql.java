package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each dialect's point-in-time SQL against the standard ranked join, on the same tables full of
 * what makes the join hard: many rows tied on (key, timestamp) decided by the created timestamp
 * (some null), entity times exactly on source times and exactly on the TTL bound, null keys, null
 * source timestamps and keys the source never saw. Both must give the same rows, in order.
 */
class TestPointInTimeSql {
  private static final LocalDateTime START = LocalDateTime.parse("2024-01-01T00:00:00");
  private static final int SOURCE_ROWS = 3_000;
  private static final int ENTITY_ROWS = 5_000;
  private static final long TTL_MINUTES = 90;

  @Test
  void duckDbAsofMatchesTheRankedJoin() throws SQLException {
    String url = "jdbc:duckdb:memory:" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(url)) {
      assertSameAnswers(connection, new DuckDbDialect(), false);
    }
  }

  @Test
  void postgresLateralMatchesTheRankedJoin() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        Connection connection = postgres.getPostgresDatabase().getConnection()) {
      assertSameAnswers(connection, new PostgresDialect(), true);
    }
  }

  private static void assertSameAnswers(Connection connection, Dialect dialect, boolean indexed)
      throws SQLException {
    dialect.setUp(connection);
    fillSource(connection, new Random(7));
    SourceRelation source =
        new SourceRelation(
            new dev.flightdeck.repository.DataSource(
                "src",
                new dev.flightdeck.repository.SourceLocation.Table("src"),
                "ts",
                Optional.of("created"),
                java.util.Map.of()),
            new SqlNames("\""));
    if (indexed) {
      assertThat(source.indexedOn(connection, List.of("k"))).isFalse();
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE INDEX src_k_ts ON src (k, ts)");
      }
      assertThat(source.indexedOn(connection, List.of("k"))).isTrue();
      assertThat(source.indexedOn(connection, List.of("ts"))).isFalse();
    }
    connection.setAutoCommit(false); // as a retrieval runs: DuckDB's row estimates differ in one
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          dialect.createTemporaryTable(
              "\"ent\"",
              "\"fd_row\" BIGINT, \"k\" BIGINT, \"fd_ts\" TIMESTAMP, \"fd_lower_0\" TIMESTAMP"));
    }
    fillEntities(connection, new Random(11));
    for (boolean created : List.of(true, false)) {
      for (boolean ttl : List.of(true, false)) {
        PointInTimeQuery query = query(created, ttl, indexed);
        String sql = dialect.pointInTimeSql(query);
        assertThat(sql).isNotEqualTo(query.ranked());
        List<List<Object>> expected = rows(connection, query.ranked());
        assertThat(expected).hasSize(ENTITY_ROWS);
        assertThat(rows(connection, sql))
            .as("created timestamp %s, TTL %s: %s", created, ttl, sql)
            .isEqualTo(expected);
      }
    }
    connection.rollback();
  }

  private static PointInTimeQuery query(boolean created, boolean ttl, boolean indexed) {
    return new PointInTimeQuery(
        "\"ent\"",
        "\"fd_row\"",
        "\"fd_ts\"",
        ttl ? Optional.of("\"fd_lower_0\"") : Optional.empty(),
        List.of(new PointInTimeQuery.Key("\"k\"", "s.\"k\"")),
        // Without the created timestamp ties are undecided: read only the rows with a null created,
        // of which each (key, timestamp) has one.
        created ? "\"src\" s" : "(SELECT * FROM \"src\" WHERE \"created\" IS NULL) s",
        "s.\"ts\"",
        created ? Optional.of("s.\"created\"") : Optional.empty(),
        List.of(
            new PointInTimeQuery.Feature("s.\"f\"", "\"fd_v0_f0\""),
            new PointInTimeQuery.Feature("s.\"g\"", "\"fd_v0_f1\"")),
        indexed);
  }

  /**
   * Keys 0–19 (and some null), timestamps on 40 whole hours (and some null), created on 4 minutes
   * (and some null): most (key, timestamp) pairs have several rows. No two rows share key,
   * timestamp and created (null counting as a value), so the answer is always decided.
   */
  private static void fillSource(Connection connection, Random random) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE src (k BIGINT, ts TIMESTAMP, created TIMESTAMP, f BIGINT, g VARCHAR)");
    }
    Set<List<Object>> seen = new HashSet<>();
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO src VALUES (?, ?, ?, ?, ?)")) {
      for (int i = 0; i < SOURCE_ROWS; i++) {
        Long key = random.nextInt(50) == 0 ? null : (long) random.nextInt(20);
        LocalDateTime ts = random.nextInt(50) == 0 ? null : START.plusHours(random.nextInt(40));
        LocalDateTime created =
            random.nextInt(5) == 0 ? null : START.plusMinutes(random.nextInt(4));
        if (!seen.add(Arrays.asList(key, ts, created))) {
          continue;
        }
        setLong(insert, 1, key);
        insert.setObject(2, ts);
        insert.setObject(3, created);
        insert.setLong(4, i);
        insert.setString(5, random.nextInt(10) == 0 ? null : "v" + i);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Times on whole hours (ties, TTL bounds), half hours, and a microsecond past a bound. */
  private static void fillEntities(Connection connection, Random random) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO \"ent\" VALUES (?, ?, ?, ?)")) {
      for (int row = 0; row < ENTITY_ROWS; row++) {
        Long key = random.nextInt(30) == 0 ? null : (long) random.nextInt(23);
        LocalDateTime ts = START.plusMinutes(30L * random.nextInt(90) - 60);
        if (random.nextInt(4) == 0) {
          ts = ts.plusMinutes(TTL_MINUTES).plusNanos(random.nextBoolean() ? 0 : 1_000);
        }
        insert.setLong(1, row);
        setLong(insert, 2, key);
        insert.setObject(3, ts);
        insert.setObject(4, ts.minusMinutes(TTL_MINUTES));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  private static void setLong(PreparedStatement statement, int parameter, Long value)
      throws SQLException {
    if (value == null) {
      statement.setNull(parameter, Types.BIGINT);
    } else {
      statement.setLong(parameter, value);
    }
  }

  private static List<List<Object>> rows(Connection connection, String sql) throws SQLException {
    List<List<Object>> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        long f = result.getLong(2);
        rows.add(
            Arrays.asList(result.getLong(1), result.wasNull() ? null : f, result.getString(3)));
      }
    }
    return rows;
  }
}
