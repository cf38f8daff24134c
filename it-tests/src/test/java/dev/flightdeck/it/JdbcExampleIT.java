package dev.flightdeck.it;

import dev.flightdeck.backend.jdbc.DatabaseTables;
import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/driver_repo_jdbc}: the driver example in an H2 database file, served by the JDBC
 * backend, must answer exactly as the Parquet example does. With {@code
 * -Dflightdeck.regenerate=true} it first rewrites the database from {@link DriverExampleData}.
 */
class JdbcExampleIT {
  @TempDir Path work;

  @Test
  void servesTheSameAnswersAsTheParquetExample() throws Exception {
    Path committed = ExampleRepository.jdbcDirectory();
    if (Boolean.getBoolean(ExampleDataIT.REGENERATE)) {
      regenerate(committed.resolve("data"));
    }
    Path copy = work.resolve("repo");
    ExampleRepository.copy(committed, copy);
    try (BufferAllocator allocator = new RootAllocator();
        FlightdeckServer server =
            FlightdeckServer.forRepository(copy, allocator, ServerConfig.defaults().withPort(0))
                .start();
        RemoteOfflineStore remote = new RemoteOfflineStore(server.location(), allocator);
        OfflineStore parquet =
            OfflineStoreRegistry.discover().open(ExampleRepository.directory(), allocator)) {
      ExampleRepository.assertSameAnswers(parquet, remote, allocator);
    }
  }

  private static void regenerate(Path data) throws Exception {
    Files.createDirectories(data);
    Files.deleteIfExists(data.resolve("driver_demo.mv.db"));
    String url = "jdbc:h2:" + data.resolve("driver_demo").toAbsolutePath();
    Properties credentials = new Properties();
    credentials.setProperty("user", "sa");
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot stats = DriverExampleData.driverStats(allocator);
        VectorSchemaRoot profiles = DriverExampleData.customerProfile(allocator)) {
      DatabaseTables.create(url, credentials, "driver_stats", stats);
      DatabaseTables.create(url, credentials, "customer_profile", profiles);
    }
  }
}
