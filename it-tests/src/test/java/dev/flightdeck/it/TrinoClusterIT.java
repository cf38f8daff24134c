package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.tables.ParquetTableWriter;
import io.trino.jdbc.TrinoResultSet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link TrinoCluster} works as the Trino dialect's tests need it: two active nodes, the memory
 * catalog with DDL and multi-row inserts, the Hive catalog reading Parquet files that the tables
 * module wrote (microsecond UTC timestamps round-trip as {@code timestamp(6)}), and queries whose
 * tasks run on both nodes.
 */
class TrinoClusterIT {
  private static final String SCHEMA = "cluster_it";

  private static TrinoCluster cluster;
  private static BufferAllocator allocator;

  @BeforeAll
  static void createAllocator() {
    allocator = new RootAllocator();
  }

  /** Per test, so that without Java 24+ each test is reported skipped. */
  @BeforeEach
  void startCluster() throws SQLException {
    if (cluster != null) {
      return;
    }
    TrinoCluster started = TrinoCluster.get();
    System.out.printf(
        "TrinoClusterIT: cluster started in %.1f s; resident memory per node (MiB): %s%n",
        started.startTime().toMillis() / 1000.0, started.residentMebibytes());
    try (Connection connection = started.connect(null, null);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS memory." + SCHEMA);
      statement.execute("CREATE SCHEMA IF NOT EXISTS hive." + SCHEMA);
    }
    cluster = started;
  }

  @AfterAll
  static void closeAllocator() {
    if (cluster != null) {
      System.out.println(
          "TrinoClusterIT: resident memory per node after the tests (MiB): "
              + cluster.residentMebibytes());
    }
    if (allocator != null) {
      allocator.close();
    }
  }

  @Test
  void bothNodesAreActive() throws SQLException {
    List<String> nodes = new ArrayList<>();
    try (Connection connection = cluster.connect("system", "runtime");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT node_id, coordinator, state FROM nodes ORDER BY node_id")) {
      while (rows.next()) {
        nodes.add(rows.getString(1) + "/" + rows.getBoolean(2) + "/" + rows.getString(3));
      }
    }
    assertThat(nodes).containsExactly("coordinator/true/active", "worker/false/active");
  }

  @Test
  void memoryCatalogKeepsRowsOfEveryType() throws SQLException {
    try (Connection connection = cluster.connect("memory", SCHEMA);
        Statement statement = connection.createStatement()) {
      assertThat(connection.getAutoCommit()).isTrue();
      statement.execute(
          "CREATE TABLE rows_of_each_type (id bigint, name varchar, v double, ts timestamp(6))");
      assertThat(
              statement.executeUpdate(
                  "INSERT INTO rows_of_each_type VALUES"
                      + " (1, 'one', 1.5, TIMESTAMP '2024-01-01 00:00:00.123456'),"
                      + " (2, 'two', -2.25, TIMESTAMP '1969-12-31 23:59:59.999999'),"
                      + " (3, NULL, NULL, NULL)"))
          .isEqualTo(3);
      List<String> rows = new ArrayList<>();
      try (ResultSet result =
          statement.executeQuery("SELECT id, name, v, ts FROM rows_of_each_type ORDER BY id")) {
        assertThat(result.getMetaData().getColumnTypeName(4)).isEqualTo("timestamp(6)");
        while (result.next()) {
          rows.add(
              result.getLong(1)
                  + "|"
                  + result.getString(2)
                  + "|"
                  + result.getObject(3)
                  + "|"
                  + result.getObject(4, LocalDateTime.class));
        }
      }
      assertThat(rows)
          .containsExactly(
              "1|one|1.5|2024-01-01T00:00:00.123456",
              "2|two|-2.25|1969-12-31T23:59:59.999999",
              "3|null|null|null");
      statement.execute("DROP TABLE rows_of_each_type");
    }
  }

  @Test
  void hiveReadsParquetFromTheTablesModuleWithMicrosecondTimestamps(@TempDir Path directory)
      throws SQLException {
    List<Instant> instants =
        List.of(
            Instant.parse("2024-01-01T00:00:00.123456Z"),
            Instant.parse("1969-12-31T23:59:59.999999Z"),
            Instant.parse("2024-06-30T12:34:56.000001Z"));
    TestTable table = TestTable.with(allocator).int64("id").timestamp("ts").float64("v");
    table.row(1L, instants.get(0), 1.5);
    table.row(2L, instants.get(1), -2.25);
    table.row(3L, instants.get(2), null);
    try (VectorSchemaRoot root = table.build()) {
      ParquetTableWriter.write(root, directory.resolve("part-00000.parquet"));
    }

    try (Connection connection = cluster.connect("hive", SCHEMA);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE parquet_smoke (id bigint, ts timestamp(6), v double) WITH"
              + " (external_location = '"
              + TrinoCluster.location(directory)
              + "', format = 'PARQUET')");
      try {
        List<String> rows = new ArrayList<>();
        try (ResultSet result =
            statement.executeQuery("SELECT id, ts, v FROM parquet_smoke ORDER BY id")) {
          // Parquet TIMESTAMP(isAdjustedToUTC=true, MICROS) is read as timestamp(6): the UTC wall
          // clock of the instant, no zone; Hive tables cannot have timestamp with time zone.
          assertThat(result.getMetaData().getColumnTypeName(2)).isEqualTo("timestamp(6)");
          while (result.next()) {
            rows.add(
                result.getLong(1)
                    + "|"
                    + result.getObject(2, LocalDateTime.class)
                    + "|"
                    + result.getObject(3));
          }
        }
        assertThat(rows)
            .containsExactly(
                "1|" + utc(instants.get(0)) + "|1.5",
                "2|" + utc(instants.get(1)) + "|-2.25",
                "3|" + utc(instants.get(2)) + "|null");
        assertThat(utc(instants.get(1))).hasToString("1969-12-31T23:59:59.999999");
      } finally {
        statement.execute("DROP TABLE parquet_smoke");
      }
    }
    assertThat(directory.resolve("part-00000.parquet"))
        .as("dropping an external table keeps its files")
        .exists();
  }

  @Test
  void hiveRefusesTimestampWithTimeZoneColumns(@TempDir Path directory) throws SQLException {
    try (Connection connection = cluster.connect("hive", SCHEMA);
        Statement statement = connection.createStatement()) {
      assertThatThrownBy(
              () ->
                  statement.execute(
                      "CREATE TABLE zoned (ts timestamp(6) with time zone) WITH"
                          + " (external_location = '"
                          + TrinoCluster.location(directory)
                          + "', format = 'PARQUET')"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("timestamp(6) with time zone");
    }
  }

  @Test
  void aGroupByOverSeveralFilesRunsOnBothNodes() throws SQLException {
    Path directory = cluster.newHiveDirectory("spread");
    int files = 4;
    int rowsPerFile = 50_000;
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    for (int file = 0; file < files; file++) {
      TestTable table = TestTable.with(allocator).int64("k").timestamp("ts").float64("v");
      for (int i = 0; i < rowsPerFile; i++) {
        long k = (long) file * rowsPerFile + i;
        table.row(k, start.plusSeconds(k), k * 0.5);
      }
      try (VectorSchemaRoot root = table.build()) {
        ParquetTableWriter.write(root, directory.resolve("part-0000" + file + ".parquet"));
      }
    }

    try (Connection connection = cluster.connect("hive", SCHEMA);
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE spread (k bigint, ts timestamp(6), v double) WITH (external_location = '"
              + TrinoCluster.location(directory)
              + "', format = 'PARQUET')");
      String queryId;
      long groups = 0;
      long total = 0;
      try (ResultSet result =
          statement.executeQuery("SELECT k % 97, count(*) FROM spread GROUP BY 1")) {
        while (result.next()) {
          groups++;
          total += result.getLong(2);
        }
        TrinoResultSet trino = result.unwrap(TrinoResultSet.class);
        queryId = trino.getQueryId();
        System.out.printf(
            "TrinoClusterIT: GROUP BY over %d Parquet files: query %s, stats say %d nodes, %d"
                + " splits%n",
            files, queryId, trino.getStats().getNodes(), trino.getStats().getTotalSplits());
      }
      assertThat(groups).isEqualTo(97);
      assertThat(total).isEqualTo((long) files * rowsPerFile);

      Map<String, List<String>> tasksByNode = tasksByNode(connection, queryId);
      System.out.println("TrinoClusterIT: tasks per node (stage:splits): " + tasksByNode);
      assertThat(tasksByNode).containsOnlyKeys("coordinator", "worker");
      statement.execute("DROP TABLE spread");
    }
  }

  /** The query's tasks, as {@code stage:splits}, by the node they ran on. */
  private static Map<String, List<String>> tasksByNode(Connection connection, String queryId)
      throws SQLException {
    Map<String, List<String>> tasks = new TreeMap<>();
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT node_id, stage_id, splits FROM system.runtime.tasks WHERE query_id = ?"
                + " ORDER BY node_id, stage_id")) {
      statement.setString(1, queryId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          tasks
              .computeIfAbsent(rows.getString(1), node -> new ArrayList<>())
              .add(rows.getString(2).substring(queryId.length() + 1) + ":" + rows.getLong(3));
        }
      }
    }
    return tasks;
  }

  private static LocalDateTime utc(Instant instant) {
    return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
