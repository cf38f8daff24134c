package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.backend.jdbc.Dialect;
import dev.flightdeck.backend.jdbc.Dialects;
import dev.flightdeck.backend.jdbc.EntityRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Entity tables and staged folders left by a server killed in a job (it could not drop them) are
 * dropped by the next store on the cluster, once they are a day old; younger ones, which may belong
 * to a live job of another replica, are kept.
 */
class TrinoLeftoversIT {
  @Test
  void aStoreDropsWhatAStoppedServerLeftBehind() throws Exception {
    TrinoCluster cluster = TrinoCluster.get();
    String schema = "leftovers_" + UUID.randomUUID().toString().replace("-", "");
    Path staging = cluster.newHiveDirectory("leftovers");
    String old = EntityRows.newTableName(Instant.now().minus(Duration.ofDays(2)));
    String oldStaged = EntityRows.newTableName(Instant.now().minus(Duration.ofDays(3)));
    String young = EntityRows.newTableName(Instant.now().minus(Duration.ofHours(1)));
    try (Connection connection = cluster.connect("memory", null);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA memory." + schema);
      statement.execute("CREATE SCHEMA hive." + schema);
      for (String table : List.of(old, young, "fd_entities_not_ours")) {
        statement.execute("CREATE TABLE memory." + schema + "." + table + " (fd_row bigint)");
      }
      Files.createDirectories(staging.resolve(oldStaged));
      Files.writeString(staging.resolve(oldStaged).resolve("entities.parquet"), "left over");
      Files.createDirectories(staging.resolve(young));
      statement.execute(
          "CREATE TABLE hive."
              + schema
              + "."
              + oldStaged
              + " (fd_row bigint) WITH (external_location = '"
              + TrinoCluster.location(staging.resolve(oldStaged))
              + "', format = 'PARQUET')");
    }

    String url = cluster.jdbcUrl("memory", schema);
    Dialect dialect =
        Dialects.load()
            .forUrl(url)
            .create(
                url,
                Map.of(
                    "entity_schema", "memory." + schema,
                    "staging_location", TrinoCluster.location(staging),
                    "staging_schema", "hive." + schema));
    try (Connection connection = cluster.connect("memory", schema)) {
      dialect.setUp(connection); // what the store's connection pool does with a new connection
    }

    assertThat(tables(cluster, "memory", schema))
        .containsExactlyInAnyOrder(young, "fd_entities_not_ours");
    assertThat(tables(cluster, "hive", schema)).isEmpty();
    assertThat(staging.resolve(oldStaged)).doesNotExist();
    assertThat(staging.resolve(young)).exists();
  }

  private static List<String> tables(TrinoCluster cluster, String catalog, String schema)
      throws Exception {
    List<String> tables = new ArrayList<>();
    try (Connection connection = cluster.connect(catalog, schema);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW TABLES")) {
      while (result.next()) {
        tables.add(result.getString(1));
      }
    }
    return tables;
  }
}
