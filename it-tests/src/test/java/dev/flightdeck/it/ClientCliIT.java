package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetTableReader;
import dev.flightdeck.tables.ParquetTableWriter;
import dev.flightdeck.tables.TableFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client commands of {@code flightdeck} end to end, against a real server on a copy of the
 * driver example (write-batch changes the data).
 */
class ClientCliIT {
  private static final List<String> FEATURES =
      List.of("driver_hourly_stats:conv_rate", "customer_profile:current_balance");

  @TempDir Path work;
  private Path repository;
  private BufferAllocator allocator;
  private FlightdeckServer server;

  @BeforeEach
  void startServer() throws IOException {
    repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    allocator = new RootAllocator();
    server =
        FlightdeckServer.forRepository(repository, allocator, ServerConfig.defaults().withPort(0))
            .start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    allocator.close();
  }

  @Test
  void getHistoricalFeaturesFromCsvToParquetEqualsTheLocalStore() throws Exception {
    Path entities = work.resolve("entities.csv");
    Files.writeString(
        entities,
        "driver_id,customer_id,event_timestamp\n"
            + "1001,201,2024-01-01T10:30:00Z\n"
            + "1002,202,2024-01-02T09:15:00Z\n"
            + "1003,203,2023-12-31T00:00:00Z\n",
        UTF_8);
    Path out = work.resolve("out/training.parquet");

    CliRun run =
        cli(
            "get-historical-features",
            "--entities",
            entities.toString(),
            "--features",
            String.join(",", FEATURES),
            "--out",
            out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 3 rows, 5 columns to " + out);
    assertThat(run.err()).as("no progress lines off a terminal").doesNotContain("received");
    try (VectorSchemaRoot written = ParquetTableReader.read(out, allocator);
        VectorSchemaRoot entityRows =
            TestTable.with(allocator)
                .int64("driver_id")
                .int64("customer_id")
                .timestamp("event_timestamp")
                .row(1001L, 201L, at("2024-01-01T10:30:00Z"))
                .row(1002L, 202L, at("2024-01-02T09:15:00Z"))
                .row(1003L, 203L, at("2023-12-31T00:00:00Z"))
                .build();
        OfflineStore local = OfflineStoreRegistry.discover().open(repository, allocator);
        RetrievalJob job =
            local.getHistoricalFeatures(HistoricalFeaturesRequest.of(entityRows, FEATURES));
        VectorSchemaRoot expected = job.toArrow(allocator)) {
      assertThat(TableRows.of(written)).isEqualTo(TableRows.of(expected));
    }
  }

  @Test
  void featureServiceToCsv() throws Exception {
    Path entities = work.resolve("entities.csv");
    Files.writeString(
        entities, "driver_id,customer_id,event_timestamp\n1001,201,2024-01-01T10:30:00Z\n", UTF_8);
    Path out = work.resolve("training.csv");

    CliRun run =
        cli(
            "get-historical-features",
            "--entities",
            entities.toString(),
            "--feature-service",
            "driver_activity",
            "--full-feature-names",
            "--out",
            out.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readAllLines(out, UTF_8))
        .containsExactly(
            "driver_id,customer_id,event_timestamp,driver_hourly_stats__conv_rate,"
                + "driver_hourly_stats__avg_daily_trips,customer_profile__current_balance",
            "1001,201,2024-01-01T10:30:00Z,0.01,601,417.5");
  }

  @Test
  void pullLatestAndPullAll() throws Exception {
    Path latest = work.resolve("latest.csv");
    CliRun run =
        cli(
            "pull-latest",
            "--source",
            "driver_stats_source",
            "--join-keys",
            "driver_id",
            "--features",
            "conv_rate,avg_daily_trips",
            "--timestamp-field",
            "event_timestamp",
            "--created-column",
            "created",
            "--start",
            "2024-01-01T00:00:00Z",
            "--end",
            "2024-01-01T09:00:00Z",
            "--out",
            latest.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = Files.readAllLines(latest, UTF_8);
    assertThat(lines.get(0))
        .isEqualTo("driver_id,conv_rate,avg_daily_trips,event_timestamp,created");
    // Hour 9 was corrected: the later created row wins.
    assertThat(lines.get(1)).isEqualTo("1001,0.07,607,2024-01-01T09:00:00Z,2024-01-01T09:30:00Z");
    assertThat(lines).hasSize(6);

    Path all = work.resolve("all.parquet");
    run =
        cli(
            "pull-all",
            "--source",
            "driver_stats_source",
            "--join-keys",
            "driver_id",
            "--features",
            "conv_rate",
            "--timestamp-field",
            "event_timestamp",
            "--end",
            "2024-01-01T01:00:00Z",
            "--out",
            all.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 10 rows, 4 columns"); // the source's created column too
  }

  @Test
  void writeBatchThenRetrievalSeesTheRows() throws Exception {
    Path batch = work.resolve("batch.parquet");
    try (VectorSchemaRoot rows =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("event_timestamp")
            .timestamp("created")
            .float32("conv_rate")
            .float32("acc_rate")
            .int64("trips")
            .row(1001L, at("2024-01-05T00:00:00Z"), at("2024-01-05T00:00:00Z"), 0.99f, 0.98f, 7L)
            .build()) {
      ParquetTableWriter.write(rows, batch);
    }
    CliRun run = cli("write-batch", "--view", "driver_hourly_stats", "--in", batch.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 1 rows to feature view driver_hourly_stats");

    Path entities = work.resolve("entities.csv");
    Files.writeString(entities, "driver_id,event_timestamp\n1001,2024-01-05T01:00:00Z\n", UTF_8);
    Path out = work.resolve("after.csv");
    run =
        cli(
            "get-historical-features",
            "--entities",
            entities.toString(),
            "--features",
            "driver_hourly_stats:avg_daily_trips",
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readAllLines(out, UTF_8))
        .containsExactly(
            "driver_id,event_timestamp,avg_daily_trips", "1001,2024-01-05T01:00:00Z,7");
  }

  @Test
  void pullLatestOfAViewUsesItsKeysFeaturesAndTimestamps() throws Exception {
    Path out = work.resolve("view.csv");
    CliRun run =
        cli(
            "pull-latest",
            "--view",
            "driver_hourly_stats",
            "--start",
            "2024-01-01T00:00:00Z",
            "--end",
            "2024-01-01T09:00:00Z",
            "--out",
            out.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = Files.readAllLines(out, UTF_8);
    assertThat(lines.get(0))
        .isEqualTo("driver_id,conv_rate,acc_rate,avg_daily_trips,event_timestamp,created");
    assertThat(lines.get(1))
        .isEqualTo("1001,0.07,0.21,607,2024-01-01T09:00:00Z,2024-01-01T09:30:00Z");
  }

  @Test
  void writeBatchFromCsvNarrowsColumnsToTheStoredTypes() throws Exception {
    Path batch = work.resolve("batch.csv");
    Files.writeString(
        batch,
        "customer_id,event_timestamp,current_balance,avg_passenger_count,lifetime_trip_count\n"
            + "201,2024-01-09T00:00:00Z,12.5,1.5,9999\n",
        UTF_8);
    CliRun run = cli("write-batch", "--view", "customer_profile", "--in", batch.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("wrote 1 rows to feature view customer_profile");
  }

  @Test
  void describePrintsTheRepository() {
    CliRun run = cli("describe");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Project driver_demo")
        .contains("driver_stats_source")
        .contains("trips -> avg_daily_trips")
        .containsPattern("driver_hourly_stats +avg_daily_trips +int64 +driver_id +P1D")
        .containsPattern("driver_activity .* yes");
  }

  @Test
  void serverErrorsArePrintedAndExitNonZero() throws Exception {
    Path entities = work.resolve("entities.csv");
    Files.writeString(entities, "driver_id,event_timestamp\n1001,2024-01-05T01:00:00Z\n", UTF_8);
    CliRun run =
        cli(
            "get-historical-features",
            "--entities",
            entities.toString(),
            "--features",
            "nope:x",
            "--out",
            work.resolve("x.csv").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("unknown feature view 'nope'")
        .contains("[UNKNOWN_FEATURE_VIEW]");
    assertThat(run.err()).doesNotContain("\tat ");
    assertThat(work.resolve("x.csv")).doesNotExist();
  }

  @Test
  void validateSourceColumnsWriteLogsAndPersist() throws Exception {
    CliRun valid = cli("validate-source", "--source", "driver_stats_source");
    assertThat(valid.exitCode()).as(valid.err()).isZero();
    assertThat(valid.out()).contains("data source driver_stats_source is valid");
    CliRun unknown = cli("validate-source", "--source", "nope");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("'nope'", "[UNKNOWN_DATA_SOURCE]");

    CliRun columns = cli("columns", "--source", "driver_stats_source");
    assertThat(columns.exitCode()).as(columns.err()).isZero();
    assertThat(columns.out())
        .containsPattern("driver_id +int64")
        .containsPattern("event_timestamp +timestamp")
        .containsPattern("conv_rate +float32")
        .containsPattern("trips +int64");

    Path logs = work.resolve("logs.csv");
    Files.writeString(
        logs,
        "driver_id,conv_rate,__log_timestamp\n1001,0.5,2024-01-01T00:00:00Z\n"
            + "1002,0.25,2024-01-01T00:00:01Z\n",
        UTF_8);
    CliRun logged =
        cli("write-logs", "--feature-service", "driver_activity", "--in", logs.toString());
    assertThat(logged.exitCode()).as(logged.err()).isZero();
    assertThat(logged.out()).contains("logged 2 rows for feature service driver_activity");

    CliRun persisted =
        cli(
            "pull-all",
            "--source",
            "driver_stats_source",
            "--join-keys",
            "driver_id",
            "--features",
            "conv_rate",
            "--persist",
            "all_rates");
    assertThat(persisted.exitCode()).as(persisted.err()).isZero();
    assertThat(persisted.out()).containsPattern("persisted \\d+ rows as all_rates on the server");
    assertThat(repository.resolve("output/all_rates.parquet")).isNotEmptyFile();
    CliRun neither =
        cli(
            "pull-all",
            "--source",
            "driver_stats_source",
            "--join-keys",
            "driver_id",
            "--features",
            "conv_rate");
    assertThat(neither.exitCode()).isEqualTo(1);
    assertThat(neither.err()).contains("--out FILE", "--persist NAME");
  }

  @Test
  void resultsGoToStdoutAsCsvOrArrowAndToArrowFiles() throws Exception {
    String[] retrieval = {
      "get-historical-features",
      "--entities",
      Path.of("..", "examples", "entities.csv").toString(),
      "--features",
      String.join(",", FEATURES)
    };
    Captured csv = captureStdout(() -> cli(concat(retrieval, "--out", "-")));
    assertThat(csv.run.exitCode()).as(csv.run.err()).isZero();
    assertThat(csv.stdout.lines().toList())
        .hasSize(6)
        .first()
        .isEqualTo("driver_id,customer_id,event_timestamp,conv_rate,current_balance");
    assertThat(csv.run.err()).contains("wrote 5 rows, 5 columns to stdout");

    Captured arrow = captureStdout(() -> cli(concat(retrieval, "--out", "-", "--format", "arrow")));
    assertThat(arrow.run.exitCode()).as(arrow.run.err()).isZero();
    try (ArrowStreamReader reader =
        new ArrowStreamReader(new ByteArrayInputStream(arrow.bytes), allocator)) {
      int rows = 0;
      while (reader.loadNextBatch()) {
        rows += reader.getVectorSchemaRoot().getRowCount();
      }
      assertThat(rows).isEqualTo(5);
      assertThat(reader.getVectorSchemaRoot().getSchema().getFields()).hasSize(5);
    }

    for (String name : List.of("training.arrow", "training.feather")) {
      Path file = work.resolve(name);
      CliRun run = cli(concat(retrieval, "--out", file.toString()));
      assertThat(run.exitCode()).as(run.err()).isZero();
      try (VectorSchemaRoot read = TableFiles.read(file, allocator)) {
        assertThat(read.getRowCount()).isEqualTo(5);
      }
    }
    CliRun parquetToStdout = cli(concat(retrieval, "--out", "-", "--format", "parquet"));
    assertThat(parquetToStdout.exitCode()).isEqualTo(1);
    assertThat(parquetToStdout.err()).contains("--format parquet needs a file");
  }

  @Test
  void messagesNameTheCommandsOwnFlags() {
    CliRun run =
        cli(
            "pull-latest",
            "--view",
            "driver_hourly_stats",
            "--start",
            "2024-01-01T00:00:00Z",
            "--out",
            work.resolve("latest.csv").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("pull-latest needs both --start and --end")
        .doesNotContain("start_date", "end_date");
  }

  @Test
  void withNoServerTheErrorSaysWhereItLookedAndHowToStartOne() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    CliRun run =
        CliRun.of("validate-source", "--source", "x", "--port", String.valueOf(closedPort));
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("no Flightdeck server answers at localhost:" + closedPort)
        .contains("[SERVER_UNAVAILABLE]")
        .contains("flightdeck serve --repo DIR");
  }

  @Test
  void theEntityFilesOnlyTimestampColumnIsItsEventTime() throws Exception {
    Path entities = work.resolve("asked.csv");
    Files.writeString(entities, "driver_id,asked_at\n1001,2024-01-01T10:30:00Z\n", UTF_8);
    Captured run =
        captureStdout(
            () ->
                cli(
                    "get-historical-features",
                    "--entities",
                    entities.toString(),
                    "--features",
                    "driver_hourly_stats:conv_rate",
                    "--out",
                    "-"));
    assertThat(run.run.exitCode()).as(run.run.err()).isZero();
    assertThat(run.stdout).startsWith("driver_id,asked_at,conv_rate\n1001,2024-01-01T10:30:00Z,");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  /** Runs a command whose data goes to the process's stdout. */
  private static Captured captureStdout(java.util.function.Supplier<CliRun> command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(bytes, true, UTF_8));
    CliRun run;
    try {
      run = command.get();
    } finally {
      System.setOut(original);
    }
    return new Captured(run, bytes.toByteArray(), bytes.toString(UTF_8));
  }

  private record Captured(CliRun run, byte[] bytes, String stdout) {}

  @Test
  void helpOnEveryClientCommand() {
    for (String command :
        List.of(
            "get-historical-features",
            "pull-latest",
            "pull-all",
            "write-batch",
            "write-logs",
            "validate-source",
            "columns",
            "describe")) {
      CliRun run = cli(command, "--help");
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out())
          .as(command)
          .contains("Usage: flightdeck " + command, "--host", "--port");
    }
  }

  private CliRun cli(String... args) {
    String[] withPort = new String[args.length + 2];
    System.arraycopy(args, 0, withPort, 0, args.length);
    boolean help = List.of(args).contains("--help");
    withPort[args.length] = help ? "--help" : "--port";
    withPort[args.length + 1] = help ? "--help" : String.valueOf(server.port());
    return CliRun.of(help ? args : withPort);
  }
}
