package dev.flightdeck.bench;

import dev.flightdeck.client.RemoteOfflineStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The file backend's rows: DuckDB's ASOF join over the Parquet files (the reference), Flightdeck
 * cold and warm on the same files, the bare Flight ceiling, small requests and concurrent clients.
 */
final class FileBackendBench {
  /** Flightdeck's file backend streams batches of this many rows; the ceiling uses the same. */
  private static final int BATCH_ROWS = 65_536;

  private static final int CEILING_WARMUPS = 3;

  private static final String LOOPBACK = "127.0.0.1";

  private static final Pattern BARE_PROTOCOL_SERVING =
      Pattern.compile("bare protocol serving at (\\d+)");

  private final Sizes sizes;
  private final Settings settings;
  private final BenchFiles files;
  private final Progress progress;
  private final BufferAllocator allocator;

  FileBackendBench(
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

  /** Adds the rows to {@code table}, and what was cross-checked to {@code checks}. */
  void run(VectorSchemaRoot entities, ResultTable table, List<String> checks) throws Exception {
    TimedResult reference = duckDbReference(table);
    // Before the server starts, so the two do not compete for the cores.
    TimedResult ceiling = bareFlightCeiling();
    Floor floor = bareProtocolFloor();
    progress.step("starting flightdeck serve on the file repository");
    Path log = files.work().resolve("logs/serve-file.log");
    try (ServerProcess server =
            ServerProcess.serve(files.repository(), settings.serverHeap(), log);
        RemoteOfflineStore store =
            new RemoteOfflineStore(server.host(), server.port(), allocator)) {
      largeRequests(store, entities, reference, ceiling, table);
      checks.add(
          String.format(
              "file backend: cold and %d warm answers equal DuckDB's ASOF join in rows (%,d), key and"
                  + " time sums, and per feature nulls, sum and key-weighted sum",
              settings.warmRuns(), reference.summary().rows()));
      smallRequests(store, floor.small(), table);
      concurrentClients(server, floor.concurrent(), table);
    }
  }

  private TimedResult duckDbReference(ResultTable table) throws SQLException {
    progress.step(
        "DuckDB ASOF LEFT JOIN over the Parquet files (%d runs)", settings.referenceRuns() + 1);
    DuckDbAsofJoin asof =
        new DuckDbAsofJoin(
            "read_parquet(" + DuckDbAsofJoin.literal(files.entities()) + ")",
            "read_parquet(" + DuckDbAsofJoin.literal(files.source()) + ")",
            sizes.ttl());
    TimedResult reference;
    try (Connection duckDb = DuckDbConnections.inMemory()) {
      reference = asof.median(duckDb, settings.referenceRuns());
    }
    table.add(
        "DuckDB `ASOF LEFT JOIN` over the same Parquet files, rows read through JDBC",
        ResultTable.seconds(reference.seconds()),
        "1×",
        "reference",
        String.format(
            "median of %d; null answers: %s",
            settings.referenceRuns(), reference.summary().nullShares()));
    return reference;
  }

  private TimedResult bareFlightCeiling() throws IOException, InterruptedException {
    progress.step(
        "bare Flight do_get between two JVMs (%d warm-ups, %d runs)",
        CEILING_WARMUPS, settings.warmRuns());
    TimedResult ceiling =
        BareFlightTransfer.median(
            sizes.entityRows(),
            BATCH_ROWS,
            CEILING_WARMUPS,
            settings.warmRuns(),
            files.work().resolve("logs/bare-flight.log"),
            allocator);
    if (ceiling.summary().rows() != sizes.entityRows()) {
      throw new ResultSummary.CrossCheckFailure(
          "the bare Flight transfer returned "
              + ceiling.summary().rows()
              + " rows, not "
              + sizes.entityRows());
    }
    return ceiling;
  }

  /**
   * The small-request rows' floor: Flightdeck's client against {@link BareProtocolServer}, the same
   * calls answered without any work, one row at a time and then from the concurrent clients.
   */
  private Floor bareProtocolFloor() throws IOException, InterruptedException {
    progress.step("the same small requests on a bare Flight server that does no work (floor)");
    try (ChildJvm server =
        ChildJvm.start(
            "bare protocol server",
            "1g",
            files.work().resolve("logs/bare-protocol.log"),
            BareProtocolServer.class.getName(),
            List.of())) {
      int port = Integer.parseInt(server.await(BARE_PROTOCOL_SERVING, Duration.ofMinutes(2)));
      SmallRequests.Result small;
      try (RemoteOfflineStore store = new RemoteOfflineStore(LOOPBACK, port, allocator)) {
        small = oneRowRequests(store);
      }
      return new Floor(small, clients(LOOPBACK, port));
    }
  }

  /** What the small requests take on the bare server. */
  private record Floor(SmallRequests.Result small, ConcurrentClients.Result concurrent) {}

  /** Cold, then warm, each answer checked against DuckDB's; then the ceiling's row. */
  private void largeRequests(
      RemoteOfflineStore store,
      VectorSchemaRoot entities,
      TimedResult reference,
      TimedResult ceiling,
      ResultTable table) {
    double duckDb = reference.seconds();
    progress.step("Flightdeck, first request after the start (cold)");
    TimedResult cold = RemoteRetrieval.run(store, entities);
    cold.summary()
        .requireSameAs(reference.summary(), "Flightdeck's cold answer", "DuckDB's ASOF join");
    table.add(
        "Flightdeck remote, file backend, first request after the server started (cold)",
        ResultTable.seconds(cold.seconds()),
        ResultTable.ratio(cold.seconds(), duckDb),
        ResultTable.target("≤ 1.5×", cold.seconds() <= 1.5 * duckDb),
        String.format(
            "%,d rows streamed, %s; %s", cold.summary().rows(), throughput(cold), phases(cold)));

    progress.step("Flightdeck, the same request again (warm, %d runs)", settings.warmRuns());
    List<TimedResult> warmRuns = new ArrayList<>();
    for (int i = 0; i < settings.warmRuns(); i++) {
      TimedResult run = RemoteRetrieval.run(store, entities);
      run.summary()
          .requireSameAs(reference.summary(), "Flightdeck's warm answer", "DuckDB's ASOF join");
      warmRuns.add(run);
    }
    TimedResult warm = TimedResult.median(warmRuns);
    table.add(
        "Flightdeck remote, file backend, the same request again (warm)",
        ResultTable.seconds(warm.seconds()),
        ResultTable.ratio(warm.seconds(), duckDb),
        ResultTable.target("≤ 0.5×", warm.seconds() <= 0.5 * duckDb),
        String.format("median of %d, %s; %s", settings.warmRuns(), throughput(warm), phases(warm)));

    double share = ceiling.seconds() / warm.seconds();
    table.add(
        "bare Flight `do_get` of the same schema and row count between two JVMs (ceiling)",
        ResultTable.seconds(ceiling.seconds()),
        ResultTable.ratio(ceiling.seconds(), duckDb),
        ResultTable.target(String.format("warm ≥ 70%% of it: %.0f%%", 100 * share), share >= 0.70),
        String.format(
            "median of %d after %d warm-ups, %s, batches of %,d rows; warm's do_get alone: %.0f%%",
            settings.warmRuns(),
            CEILING_WARMUPS,
            throughput(ceiling),
            BATCH_ROWS,
            100 * ceiling.seconds() / warm.resultSeconds()));
  }

  private void smallRequests(
      RemoteOfflineStore store, SmallRequests.Result floor, ResultTable table) {
    progress.step(
        "one-row requests (%d, at most %s)", settings.smallRequests(), settings.smallBudget());
    SmallRequests.Result small = oneRowRequests(store);
    double p50 = small.latencies().percentileMillis(50);
    double p99 = small.latencies().percentileMillis(99);
    table.add(
        "one entity row, warm, sequential requests: p50 / p99",
        ResultTable.millis(p50) + " / " + ResultTable.millis(p99),
        "—",
        ResultTable.target("p50 ≤ 2 ms, p99 ≤ 10 ms", p50 <= 2 && p99 <= 10),
        requestCount(small));
    double floorP50 = floor.latencies().percentileMillis(50);
    double floorP99 = floor.latencies().percentileMillis(99);
    table.add(
        "the same one-row calls on a bare Flight server that does no work (floor)",
        ResultTable.millis(floorP50) + " / " + ResultTable.millis(floorP99),
        "—",
        belowFloor(floorP50 > 2 || floorP99 > 10),
        requestCount(floor) + "; 3 do_puts and a do_get each, through Flightdeck's client");
  }

  private SmallRequests.Result oneRowRequests(RemoteOfflineStore store) {
    return SmallRequests.run(
        store, new BenchData(sizes), settings.smallRequests(), settings.smallBudget(), allocator);
  }

  private String requestCount(SmallRequests.Result small) {
    return String.format(
        "%,d requests%s",
        small.latencies().count(),
        small.budgetReached()
            ? String.format(
                " (of %,d: the %s budget ran out)",
                settings.smallRequests(), settings.smallBudget())
            : "");
  }

  private void concurrentClients(
      ServerProcess server, ConcurrentClients.Result floor, ResultTable table)
      throws InterruptedException {
    progress.step(
        "%d concurrent clients for %s", settings.clients(), settings.concurrencyDuration());
    ConcurrentClients.Result concurrent = clients(server.host(), server.port());
    double rate = concurrent.requestsPerSecond();
    double p99 = concurrent.latencies().percentileMillis(99);
    table.add(
        String.format(
            "%d concurrent clients, %d–%d entity rows each: requests/s, p50 / p99",
            settings.clients(), settings.clientMinRows(), settings.clientMaxRows()),
        rateAndLatencies(concurrent),
        "—",
        ResultTable.target(
            "≥ 500/s, p99 ≤ 200 ms", rate >= 500 && p99 <= 200 && concurrent.errors() == 0),
        requestCount(concurrent));
    table.add(
        "the same clients on the bare Flight server (floor)",
        rateAndLatencies(floor),
        "—",
        belowFloor(floor.requestsPerSecond() < 500 || floor.latencies().percentileMillis(99) > 200),
        requestCount(floor));
  }

  private ConcurrentClients.Result clients(String host, int port) throws InterruptedException {
    return ConcurrentClients.run(
        host,
        port,
        new BenchData(sizes),
        settings.clients(),
        settings.clientMinRows(),
        settings.clientMaxRows(),
        settings.concurrencyDuration(),
        allocator);
  }

  private static String rateAndLatencies(ConcurrentClients.Result run) {
    return String.format(
        "%.1f/s, %s / %s",
        run.requestsPerSecond(),
        ResultTable.millis(run.latencies().percentileMillis(50)),
        ResultTable.millis(run.latencies().percentileMillis(99)));
  }

  private String requestCount(ConcurrentClients.Result run) {
    return String.format(
        "%,d requests in %.1f s (started within %s)%s",
        run.latencies().count(),
        run.seconds(),
        settings.concurrencyDuration(),
        run.errors() == 0
            ? ""
            : String.format(", %,d FAILED, first: %s", run.errors(), run.firstError()));
  }

  /** A floor row's target cell: whether the target above it is out of reach of Flight itself. */
  private static String belowFloor(boolean targetUnderFloor) {
    return targetUnderFloor ? "the target above is under this floor" : "the target is above it";
  }

  /** Arrow buffer bytes per second, e.g. {@code 412 MB/s}. */
  /** Where a remote request's time went: sending its parameters, then its do_get. */
  private static String phases(TimedResult run) {
    return String.format(
        "params sent in %s, do_get %s",
        ResultTable.seconds(run.sentNanos() / 1e9), ResultTable.seconds(run.resultSeconds()));
  }

  static String throughput(TimedResult run) {
    return String.format("%.0f MB/s", run.summary().bytes() / 1e6 / run.seconds());
  }
}
