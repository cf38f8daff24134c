package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.backend.file.FileOfflineStoreFactory;
import dev.flightdeck.backend.jdbc.DatabaseTables;
import dev.flightdeck.backend.jdbc.JdbcOfflineStoreFactory;
import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetTableWriter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random sources and entity tables (shared timestamps, created-timestamp tie breaks, null values,
 * null and unknown keys, TTLs), answered by every backend and checked against a brute-force oracle
 * written from the rules alone.
 */
class DifferentialIT {
  private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
  private static EmbeddedPostgres postgres;

  @TempDir Path folder;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    postgres.close();
  }

  /** One source row; {@code created} is unique, so no two rows tie completely. */
  private record SourceRow(Object driver, Instant ts, Instant created, Long value) {}

  private record EntityRow(Object driver, Instant ts) {}

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void everyBackendAgreesWithTheOracle(long seed) throws Exception {
    Random random = new Random(seed);
    boolean stringKeys = seed % 2 == 0; // odd seeds: int64 keys; even seeds: string keys
    int keys = 3 + random.nextInt(20);
    Duration ttl = Duration.ofMinutes(30L * (1 + random.nextInt(6)));
    List<SourceRow> source = new ArrayList<>();
    int sourceRows = 1 + random.nextInt(400);
    for (int i = 0; i < sourceRows; i++) {
      Instant ts = BASE.plus(Duration.ofMinutes(15L * random.nextInt(40))); // many shared times
      source.add(
          new SourceRow(
              key(random.nextInt(keys), stringKeys),
              ts,
              ts.plusSeconds(random.nextInt(5) * 1000L + i), // unique per row
              random.nextInt(10) == 0 ? null : (long) random.nextInt(1000)));
    }
    List<EntityRow> entities = new ArrayList<>();
    int entityRows = random.nextInt(300);
    for (int i = 0; i < entityRows; i++) {
      Object driver = // null keys, and unknown keys too
          random.nextInt(15) == 0 ? null : key(random.nextInt(keys + 3), stringKeys);
      entities.add(new EntityRow(driver, BASE.plus(Duration.ofMinutes(random.nextInt(12 * 60)))));
    }
    List<List<Object>> expected = oracle(source, entities, ttl);
    String repository = repository(ttl);

    try (BufferAllocator allocator = new RootAllocator()) {
      for (String backend : List.of("file", "h2", "duckdb", "postgresql")) {
        try (VectorSchemaRoot sourceTable = sourceTable(source, stringKeys, allocator);
            VectorSchemaRoot entityTable = entityTable(entities, stringKeys, allocator);
            Database database = new Database(backend);
            OfflineStore store = store(backend, database, repository, sourceTable, allocator);
            RetrievalJob job =
                store.getHistoricalFeatures(
                    HistoricalFeaturesRequest.of(
                            entityTable, List.of("stats_ttl:value", "stats_forever:value"))
                        .withFullFeatureNames(true));
            VectorSchemaRoot result = job.toArrow(allocator)) {
          assertThat(TableRows.of(result)).as("%s, seed %d", backend, seed).isEqualTo(expected);
        }
      }
    }
  }

  /** The rules, brute force: for each entity row and view, the latest qualifying source row. */
  private static List<List<Object>> oracle(
      List<SourceRow> source, List<EntityRow> entities, Duration ttl) {
    List<List<Object>> rows = new ArrayList<>();
    for (EntityRow entity : entities) {
      rows.add(
          Arrays.asList(
              entity.driver(),
              entity.ts(),
              latest(source, entity, ttl),
              latest(source, entity, Duration.ZERO)));
    }
    return rows;
  }

  private static Long latest(List<SourceRow> source, EntityRow entity, Duration ttl) {
    SourceRow best = null;
    for (SourceRow row : source) {
      boolean qualifies =
          entity.driver() != null
              && entity.driver().equals(row.driver())
              && !row.ts().isAfter(entity.ts())
              && (ttl.isZero() || !row.ts().isBefore(entity.ts().minus(ttl)));
      if (qualifies
          && (best == null
              || row.ts().isAfter(best.ts())
              || (row.ts().equals(best.ts()) && row.created().isAfter(best.created())))) {
        best = row;
      }
    }
    return best == null ? null : best.value();
  }

  private static String repository(Duration ttl) {
    return """
        project: differential
        offline_store: {type: file}
        entities: [{name: driver, join_keys: [driver_id]}]
        data_sources:
          - {name: stats, path: data/stats, timestamp_field: ts, created_timestamp_column: created}
        feature_views:
          - {name: stats_ttl, entities: [driver], ttl: %s, source: stats, schema: [{name: value, dtype: int64}]}
          - {name: stats_forever, entities: [driver], source: stats, schema: [{name: value, dtype: int64}]}
        """
        .formatted(ttl);
  }

  private OfflineStore store(
      String backend,
      Database database,
      String yaml,
      VectorSchemaRoot sourceTable,
      BufferAllocator allocator)
      throws Exception {
    FeatureRepository repository = RepositoryLoader.parse(yaml);
    if (backend.equals("file")) {
      Path dir = folder.resolve(UUID.randomUUID().toString());
      ParquetTableWriter.write(sourceTable, dir.resolve("data/stats/part-0.parquet"));
      return new FileOfflineStoreFactory()
          .create(new OfflineStoreContext(repository, dir, allocator));
    }
    DatabaseTables.create(database.url, database.credentials, "stats", sourceTable);
    Map<String, String> config = new HashMap<>();
    config.put("url", database.url);
    database
        .credentials
        .stringPropertyNames()
        .forEach(key -> config.put(key, database.credentials.getProperty(key)));
    return new JdbcOfflineStoreFactory()
        .create(
            new OfflineStoreContext(
                DatabaseTables.onTables(repository, config), folder, allocator));
  }

  /** A fresh database of one kind, kept alive for the test. */
  private static final class Database implements AutoCloseable {
    final String url;
    final Properties credentials = new Properties();
    private Connection keepAlive;

    Database(String backend) throws Exception {
      String name = "d" + UUID.randomUUID().toString().replace("-", "");
      switch (backend) {
        case "h2" -> url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
        case "duckdb" -> {
          url = "jdbc:duckdb:memory:" + name;
          keepAlive = DriverManager.getConnection(url);
        }
        case "postgresql" -> {
          try (Connection connection = postgres.getPostgresDatabase().getConnection();
              Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
          }
          url = postgres.getJdbcUrl("postgres", name);
          credentials.setProperty("user", "postgres");
        }
        default -> url = null;
      }
    }

    @Override
    public void close() throws Exception {
      if (keepAlive != null) {
        keepAlive.close();
      }
    }
  }

  private static Object key(int n, boolean string) {
    return string ? "driver-" + n : (Object) (long) n;
  }

  private static TestTable keyed(BufferAllocator allocator, boolean stringKeys) {
    TestTable table = TestTable.with(allocator);
    return stringKeys ? table.string("driver_id") : table.int64("driver_id");
  }

  private static VectorSchemaRoot sourceTable(
      List<SourceRow> rows, boolean stringKeys, BufferAllocator allocator) {
    TestTable table =
        keyed(allocator, stringKeys).timestamp("ts").timestamp("created").int64("value");
    rows.forEach(row -> table.row(row.driver(), row.ts(), row.created(), row.value()));
    return table.build();
  }

  private static VectorSchemaRoot entityTable(
      List<EntityRow> rows, boolean stringKeys, BufferAllocator allocator) {
    TestTable table = keyed(allocator, stringKeys).timestamp("event_timestamp");
    rows.forEach(row -> table.row(row.driver(), row.ts()));
    return table.build();
  }
}
