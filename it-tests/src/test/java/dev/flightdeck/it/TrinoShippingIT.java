package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.backend.jdbc.Dialect;
import dev.flightdeck.backend.jdbc.Dialects;
import dev.flightdeck.backend.jdbc.EntityRows;
import dev.flightdeck.backend.jdbc.EntityTable;
import dev.flightdeck.backend.jdbc.SqlNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Entity-table shipping to the Trino cluster by both methods (INSERTs into a memory table; a
 * Parquet file under an external Hive table) at 1K, 10K and 100K rows: every row must arrive, and
 * the times are printed (and written to {@code target/trino-shipping.md}) for {@code
 * docs/deployment.md}. Sizes: {@code -Dtrino.shipping.rows=1000,10000,100000}.
 */
class TrinoShippingIT {
  private TrinoCluster cluster;
  private String schema;
  private BufferAllocator allocator;

  @BeforeEach
  void start() throws Exception {
    cluster = TrinoCluster.get();
    allocator = new RootAllocator();
    schema = "shipping_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = cluster.connect("memory", null);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA memory." + schema);
      statement.execute("CREATE SCHEMA hive." + schema);
    }
  }

  @AfterEach
  void stop() {
    if (allocator != null) {
      allocator.close();
    }
  }

  @Test
  void bothMethodsShipEveryRow() throws Exception {
    String url = cluster.jdbcUrl("memory", schema);
    Path staging = cluster.newHiveDirectory("shipping");
    Dialect inserts =
        Dialects.load().forUrl(url).create(url, Map.of("entity_schema", "memory." + schema));
    Dialect staged =
        Dialects.load()
            .forUrl(url)
            .create(
                url,
                Map.of(
                    "staging_location",
                    TrinoCluster.location(staging),
                    "staging_schema",
                    "hive." + schema,
                    "staging_min_rows",
                    "1"));
    List<String> lines = new ArrayList<>();
    lines.add("| entity rows | INSERT (memory connector) | Parquet + external Hive table |");
    lines.add("|---|---|---|");
    try (Connection connection = cluster.connect("memory", schema)) {
      // Untimed first rounds: the cluster's first queries of a kind pay for planning code's JIT.
      ship(inserts, "memory", connection, 100);
      ship(staged, "hive", connection, 100);
      for (String size :
          System.getProperty("trino.shipping.rows", "1000,10000,100000").split(",")) {
        int rows = Integer.parseInt(size.trim());
        double insertSeconds = ship(inserts, "memory", connection, rows);
        double stagedSeconds = ship(staged, "hive", connection, rows);
        lines.add(
            String.format(
                Locale.ROOT, "| %,d | %.2f s | %.2f s |", rows, insertSeconds, stagedSeconds));
      }
    }
    try (var files = Files.list(staging)) {
      assertThat(files).as("staged folders are deleted with their tables").isEmpty();
    }
    String table = String.join("\n", lines);
    System.out.println("Trino entity-table shipping, 2 nodes on this machine:\n" + table);
    Files.writeString(Path.of("target", "trino-shipping.md"), table + "\n");
  }

  /**
   * Ships {@code rows} entity rows, checks they went into {@code catalog} (the method asked for)
   * and all arrived, drops them; seconds to ship.
   */
  private double ship(Dialect dialect, String catalog, Connection connection, int rows)
      throws Exception {
    List<FieldVector> vectors = new ArrayList<>();
    try {
      BigIntVector row = new BigIntVector("fd_row", allocator);
      BigIntVector driver = new BigIntVector("driver_id", allocator);
      TimeStampMicroTZVector timestamp = new TimeStampMicroTZVector("fd_ts", allocator, "UTC");
      vectors.addAll(List.of(row, driver, timestamp));
      row.allocateNew(rows);
      driver.allocateNew(rows);
      timestamp.allocateNew(rows);
      for (int r = 0; r < rows; r++) {
        row.set(r, r);
        driver.set(r, 1000 + r % 5000);
        timestamp.set(r, 1_704_103_200_000_000L + r * 1_000_001L);
      }
      row.setValueCount(rows);
      driver.setValueCount(rows);
      timestamp.setValueCount(rows);
      SqlNames names = new SqlNames("\"");
      String name = "fd_entities_" + UUID.randomUUID().toString().replace("-", "");
      List<EntityRows.Column> columns = new ArrayList<>();
      for (FieldVector vector : vectors) {
        columns.add(
            new EntityRows.Column(
                vector.getName(), names.quote(vector.getName(), "column"), vector));
      }
      EntityRows entityRows =
          new EntityRows(
              name,
              names.quote(name, "table"),
              names,
              columns,
              List.of(names.quote("driver_id", "column")),
              rows);
      long start = System.nanoTime();
      EntityTable table = dialect.shipEntityRows(connection, entityRows);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(table.relation()).startsWith("\"" + catalog + "\".");
      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery(
                  "SELECT count(*), sum(fd_row), max(fd_ts) FROM " + table.relation())) {
        assertThat(result.next()).isTrue();
        assertThat(result.getLong(1)).isEqualTo(rows);
        assertThat(result.getLong(2)).isEqualTo((long) rows * (rows - 1) / 2);
        long lastMicros = 1_704_103_200_000_000L + (rows - 1) * 1_000_001L;
        assertThat(result.getTimestamp(3).toLocalDateTime())
            .as("microseconds arrive")
            .isEqualTo(
                LocalDateTime.ofEpochSecond(
                    Math.floorDiv(lastMicros, 1_000_000),
                    (int) Math.floorMod(lastMicros, 1_000_000) * 1_000,
                    ZoneOffset.UTC));
      } finally {
        table.drop(connection);
      }
      return seconds;
    } finally {
      vectors.forEach(FieldVector::close);
    }
  }
}
