package dev.flightdeck.it;

import dev.flightdeck.backend.jdbc.Dialect;
import dev.flightdeck.backend.jdbc.Dialects;
import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.tables.ParquetTableReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver example's own Parquet files, read by the Trino cluster through external tables of its
 * Hive catalog and served by a real server with {@code type: jdbc} on a {@code jdbc:trino:} URL,
 * must answer exactly as the file backend does on the same files: Trino's join against
 * Flightdeck's.
 */
class TrinoExampleIT {
  @TempDir Path work;

  @Test
  void servesTheSameAnswersAsTheFileBackendOnTheSameParquetFiles() throws Exception {
    TrinoCluster cluster = TrinoCluster.get();
    String schema = "example_" + UUID.randomUUID().toString().replace("-", "");
    Path data = ExampleRepository.directory().resolve("data");
    Path staging = cluster.newHiveDirectory("example-staging");
    try (Connection connection = cluster.connect("hive", null);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA hive." + schema);
      external(statement, cluster, schema, "driver_stats", data.resolve("driver_stats.parquet"));
      external(
          statement,
          cluster,
          schema,
          "customer_profile",
          data.resolve("customer_profile").resolve("part-00000.parquet"));
    }
    Path repository = work.resolve("repo");
    ExampleRepository.copy(ExampleRepository.jdbcDirectory(), repository);
    Path yaml = repository.resolve("feature_store.yaml");
    Files.writeString(
        yaml,
        Files.readString(yaml)
            .replaceFirst(
                "  url: .*\n",
                "  url: \""
                    + cluster.jdbcUrl("hive", schema)
                    + "\"\n"
                    + "  staging_location: \""
                    + TrinoCluster.location(staging)
                    + "\"\n"
                    + "  staging_schema: hive."
                    + schema
                    + "\n"
                    + "  staging_min_rows: 50\n")
            .replaceFirst("  user: sa\n", "  user: " + TrinoCluster.USER + "\n"));

    try (BufferAllocator allocator = new RootAllocator();
        FlightdeckServer server =
            FlightdeckServer.forRepository(
                    repository, allocator, ServerConfig.defaults().withPort(0))
                .start();
        RemoteOfflineStore remote = new RemoteOfflineStore(server.location(), allocator);
        OfflineStore parquet =
            OfflineStoreRegistry.discover().open(ExampleRepository.directory(), allocator)) {
      ExampleRepository.assertSameAnswers(parquet, remote, allocator);
    }
  }

  /** An external Hive table over a copy of {@code file}, its columns typed from the file. */
  private static void external(
      Statement statement, TrinoCluster cluster, String schema, String table, Path file)
      throws Exception {
    Path folder = cluster.newHiveDirectory(table);
    Files.copy(file, folder.resolve(file.getFileName()));
    Dialect trino = Dialects.load().create(cluster.jdbcUrl("hive", schema));
    List<String> columns = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot rows = ParquetTableReader.read(file, allocator)) {
      for (Field field : rows.getSchema().getFields()) {
        columns.add("\"" + field.getName() + "\" " + trino.sqlType(field.getType()));
      }
    }
    statement.execute(
        "CREATE TABLE hive."
            + schema
            + "."
            + table
            + " ("
            + String.join(", ", columns)
            + ") WITH (external_location = '"
            + TrinoCluster.location(folder)
            + "', format = 'PARQUET')");
  }
}
