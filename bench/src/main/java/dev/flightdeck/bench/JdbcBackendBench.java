package dev.flightdeck.bench;

import dev.flightdeck.client.RemoteOfflineStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The JDBC backend's rows: the same data copied into a DuckDB database file and into an embedded
 * PostgreSQL, each served by {@code flightdeck serve}, against DuckDB's own ASOF join on the same
 * DuckDB tables. A request takes the first N entity rows (N set by flags, as these joins are slow).
 */
final class JdbcBackendBench {
  private static final int WARMUP_ROWS = 1_000;

  /** DuckDB's answer for the first N entity rows, and the table row that shows it. */
  private record Reference(TimedResult result, int tableRow) {}

  private final Sizes sizes;
  private final Settings settings;
  private final BenchFiles files;
  private final Progress progress;
  private final BufferAllocator allocator;

  JdbcBackendBench(
      Sizes sizes,
      Settings settings,
      BenchFiles files,
      Progress progress,
      BufferAllocator allocator) {
    this.sizes = sizes;
    this.settings = settings;
    this.files = files;
    this.progress = progress;
    this.allocator = allocator;
  }

  void run(VectorSchemaRoot entities, ResultTable table, List<String> checks) throws Exception {
    Path repository = files.work().resolve("duckdb_repo");
    Path database = repository.resolve("data/" + BenchSchema.PROJECT + ".duckdb");
    Files.createDirectories(database.getParent());
    // The data is generated afresh on every run, so is its copy: a --work folder used before
    // still holds the last run's database file.
    Files.deleteIfExists(database);
    Files.deleteIfExists(database.resolveSibling(database.getFileName() + ".wal"));
    progress.step("copying the data into a DuckDB database file");
    long copyStart = System.nanoTime();
    DatabaseCopies.toDuckDb("jdbc:duckdb:" + database, files.source(), files.entities());
    double copySeconds = (System.nanoTime() - copyStart) / 1e9;
    Map<Integer, Reference> references = duckDbReferences(database, copySeconds, table);

    BenchRepository.writeJdbc(
        repository,
        "jdbc:duckdb:${REPOSITORY_DIR}/data/" + database.getFileName(),
        null,
        sizes.ttl());
    int rows = settings.jdbcEntityRows();
    measure(
        repository,
        "DuckDB (database file)",
        references.get(rows),
        rows,
        OptionalDouble.of(2),
        "",
        entities,
        table);
    checks.add(
        String.format(
            "JDBC backend on DuckDB: %,d rows equal DuckDB's ASOF join on the same tables", rows));

    if (settings.postgres()) {
      postgres(entities, references, table, checks);
    }
  }

  /**
   * DuckDB's own join on the tables, for each entity row count a request below uses. The file is
   * closed again afterwards: the server's JVM opens it next, and DuckDB lets one process at a time.
   */
  private Map<Integer, Reference> duckDbReferences(
      Path database, double copySeconds, ResultTable table) throws SQLException {
    TreeSet<Integer> rowCounts = new TreeSet<>();
    rowCounts.add(settings.jdbcEntityRows());
    if (settings.postgres()) {
      rowCounts.add(settings.postgresEntityRows());
    }
    Map<Integer, Reference> references = new TreeMap<>();
    try (Connection duckDb = DuckDbConnections.open("jdbc:duckdb:" + database)) {
      for (int rows : rowCounts) {
        progress.step("DuckDB ASOF LEFT JOIN on the DuckDB tables, %,d entity rows", rows);
        TimedResult result =
            new DuckDbAsofJoin(DatabaseCopies.duckDbEntities(rows), BenchSchema.TABLE, sizes.ttl())
                .median(duckDb, settings.referenceRuns());
        references.put(rows, new Reference(result, table.next()));
        table.add(
            String.format("DuckDB `ASOF LEFT JOIN` on the DuckDB tables, %,d entity rows", rows),
            ResultTable.seconds(result.seconds()),
            "1×",
            "reference",
            String.format(
                "median of %d; tables copied from the Parquet files in %.1f s",
                settings.referenceRuns(), copySeconds));
      }
    }
    return references;
  }

  private void postgres(
      VectorSchemaRoot entities,
      Map<Integer, Reference> references,
      ResultTable table,
      List<String> checks)
      throws Exception {
    progress.step(
        "starting an embedded PostgreSQL and copying the data into it (COPY, index, ANALYZE)");
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      String version;
      long copyStart = System.nanoTime();
      try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
        DatabaseCopies.toPostgres(connection, files.source(), files.work());
        version = postgresVersion(connection);
      }
      double copySeconds = (System.nanoTime() - copyStart) / 1e9;
      Path repository = files.work().resolve("postgres_repo");
      BenchRepository.writeJdbc(
          repository, postgres.getJdbcUrl("postgres", "postgres"), "postgres", sizes.ttl());
      int rows = settings.postgresEntityRows();
      measure(
          repository,
          "PostgreSQL " + version + " (embedded)",
          references.get(rows),
          rows,
          OptionalDouble.empty(),
          String.format(
              "default settings, loaded in %.1f s (COPY, index on key and time, ANALYZE); ",
              copySeconds),
          entities,
          table);
      checks.add(
          String.format(
              "JDBC backend on PostgreSQL: %,d rows equal DuckDB's ASOF join on the same data",
              rows));
    }
  }

  /**
   * Serves {@code repository}, warms the server with a small request, then times one request of the
   * first {@code rows} entity rows and checks it against DuckDB's answer.
   *
   * @param maxRatio the target, as a multiple of DuckDB's time; empty: none set
   */
  private void measure(
      Path repository,
      String database,
      Reference reference,
      int rows,
      OptionalDouble maxRatio,
      String notes,
      VectorSchemaRoot entities,
      ResultTable table)
      throws Exception {
    progress.step("starting flightdeck serve on %s", repository.getFileName());
    Path log = files.work().resolve("logs/serve-" + repository.getFileName() + ".log");
    try (ServerProcess server = ServerProcess.serve(repository, settings.serverHeap(), log);
        RemoteOfflineStore store = new RemoteOfflineStore(server.host(), server.port(), allocator);
        VectorSchemaRoot warmup = entities.slice(0, Math.min(WARMUP_ROWS, rows));
        VectorSchemaRoot request = entities.slice(0, rows)) {
      progress.step(
          "Flightdeck, JDBC backend on %s: warm-up, then %,d entity rows", database, rows);
      RemoteRetrieval.run(store, warmup);
      TimedResult run = RemoteRetrieval.run(store, request);
      run.summary()
          .requireSameAs(
              reference.result().summary(),
              "the JDBC backend's answer on " + database,
              "DuckDB's ASOF join on the same tables");
      double ratio = run.seconds() / reference.result().seconds();
      table.add(
          String.format("Flightdeck remote, JDBC backend on %s, %,d entity rows", database, rows),
          ResultTable.seconds(run.seconds()),
          String.format("%.2f× row %d", ratio, reference.tableRow()),
          maxRatio.isPresent()
              ? ResultTable.target(
                  String.format("≤ %.0f×", maxRatio.getAsDouble()), ratio <= maxRatio.getAsDouble())
              : "none set",
          notes + String.format("one request after a %,d-row warm-up", warmup.getRowCount()));
    }
  }

  private static String postgresVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW server_version")) {
      result.next();
      return result.getString(1);
    }
  }
}
