package dev.flightdeck.bench;

import dev.flightdeck.tables.TableFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./flightdeck-bench}: generates the data, measures, and prints one table of Flightdeck
 * against DuckDB's ASOF join on the same files (docs/performance.md explains each row). Exits 1,
 * after printing what it measured so far, if two engines disagree on a result.
 */
@Command(
    name = "flightdeck-bench",
    sortOptions = false,
    description = {
      "Measures Flightdeck against DuckDB's ASOF join on the same generated files, a bare Flight"
          + " transfer, small and concurrent requests, and the JDBC backend on DuckDB and"
          + " PostgreSQL; prints one table. Defaults are issue 10's sizes."
    })
public final class FlightdeckBench implements Callable<Integer> {
  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--entity-rows",
      paramLabel = "N",
      description = "Entity rows of the large request (default: ${DEFAULT-VALUE}).")
  int entityRows = 1_000_000;

  @Option(
      names = "--feature-rows",
      paramLabel = "N",
      description = "Rows of the one Parquet source file (default: ${DEFAULT-VALUE}).")
  int featureRows = 10_000_000;

  @Option(
      names = "--keys",
      paramLabel = "N",
      description =
          "Distinct join keys; each has one source row per hour (default: ${DEFAULT-VALUE}).")
  int keys = 100_000;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      description = "The feature view's TTL, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration ttl = Duration.ofHours(1);

  @Option(
      names = "--row-group-mb",
      paramLabel = "MIB",
      description =
          "Row group size of the source file; the default is Parquet's, as Flightdeck writes"
              + " (default: ${DEFAULT-VALUE}).")
  int rowGroupMegabytes = 128;

  @Option(
      names = "--seed",
      paramLabel = "N",
      description = "Seed of the generated data (default: ${DEFAULT-VALUE}).")
  long seed = 42;

  @Option(
      names = "--warm-runs",
      paramLabel = "N",
      description = "Repeated large requests; the median is reported (default: ${DEFAULT-VALUE}).")
  int warmRuns = 3;

  @Option(
      names = "--reference-runs",
      paramLabel = "N",
      description =
          "DuckDB runs after a warm-up; the median is the reference (default: ${DEFAULT-VALUE}).")
  int referenceRuns = 3;

  @Option(
      names = "--small-requests",
      paramLabel = "N",
      description = "One-row requests, one after another (default: ${DEFAULT-VALUE}).")
  int smallRequests = 500;

  @Option(
      names = "--small-budget",
      paramLabel = "DURATION",
      description = "Stop the one-row requests after this long (default: ${DEFAULT-VALUE}).")
  Duration smallBudget = Duration.ofSeconds(60);

  @Option(
      names = "--clients",
      paramLabel = "N",
      description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
  int clients = 64;

  @Option(
      names = "--client-min-rows",
      paramLabel = "N",
      description = "Smallest entity table of a concurrent client (default: ${DEFAULT-VALUE}).")
  int clientMinRows = 20;

  @Option(
      names = "--client-max-rows",
      paramLabel = "N",
      description = "Largest entity table of a concurrent client (default: ${DEFAULT-VALUE}).")
  int clientMaxRows = 220;

  @Option(
      names = "--concurrency-duration",
      paramLabel = "DURATION",
      description = "How long the clients start requests (default: ${DEFAULT-VALUE}).")
  Duration concurrencyDuration = Duration.ofSeconds(30);

  @Option(
      names = "--jdbc-entity-rows",
      paramLabel = "N",
      description =
          "Entity rows of the JDBC backend's request on DuckDB, the first of the large request's"
              + " (default: --entity-rows).")
  Integer jdbcEntityRows;

  @Option(
      names = "--postgres-entity-rows",
      paramLabel = "N",
      description =
          "Entity rows of the JDBC backend's request on PostgreSQL (default: --jdbc-entity-rows).")
  Integer postgresEntityRows;

  @Option(
      names = "--skip-file",
      description =
          "Leave out the file backend's rows (its DuckDB reference, cold, warm, bare Flight, one"
              + " row, concurrent clients); the JDBC rows keep their own DuckDB reference.")
  boolean skipFile;

  @Option(
      names = "--skip-jdbc",
      description = "Leave out the JDBC backend (DuckDB and PostgreSQL).")
  boolean skipJdbc;

  @Option(names = "--skip-postgres", description = "Leave out the JDBC backend on PostgreSQL.")
  boolean skipPostgres;

  @Option(
      names = "--server-heap",
      paramLabel = "SIZE",
      description = "-Xmx of each server JVM (default: ${DEFAULT-VALUE}).")
  String serverHeap = "4g";

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description =
          "Keep the generated data, repositories and server logs here (default: a temporary folder, deleted after a successful run).")
  Path work;

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  public FlightdeckBench(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // The servers log to their own files; here only warnings (DuckDB, PostgreSQL, Arrow).
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.exit(new CommandLine(new FlightdeckBench(System.out, System.err)).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Sizes sizes = new Sizes(entityRows, featureRows, keys, ttl, seed, rowGroupMegabytes);
    Settings settings = settings();
    Path folder =
        work != null ? work.toAbsolutePath() : Files.createTempDirectory("flightdeck-bench");
    Files.createDirectories(folder);
    Progress progress = new Progress(err);
    ResultTable table = new ResultTable();
    List<String> checks = new ArrayList<>();
    String machine = Machine.describe(serverHeap);
    double loadAtStart = Machine.load();
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    BenchFiles files = null;
    boolean succeeded = false;
    try (BufferAllocator allocator = new RootAllocator()) {
      progress.step("generating %s into %s", sizes.describe(), folder);
      files = BenchFiles.generate(folder, sizes, allocator);
      try (VectorSchemaRoot entities = TableFiles.read(files.entities(), allocator)) {
        if (settings.file()) {
          new FileBackendBench(sizes, settings, files, progress, allocator)
              .run(entities, table, checks);
        }
        if (settings.jdbc()) {
          new JdbcBackendBench(sizes, settings, files, progress, allocator)
              .run(entities, table, checks);
        }
      }
      succeeded = true;
    } catch (ResultSummary.CrossCheckFailure e) {
      err.println("CROSS-CHECK FAILED: " + e.getMessage());
    } finally {
      out.println();
      out.println("Flightdeck bench, " + started);
      out.println("machine: " + machine);
      out.printf(
          "load average (1 min): %.2f at the start, %.2f at the end%n",
          loadAtStart, Machine.load());
      out.println("sizes: " + sizes.describe());
      if (files != null) {
        out.println("files: " + files.describe());
      }
      out.println("runs: " + settings.describe());
      out.println(
          "arguments: "
              + (spec.commandLine().getParseResult().originalArgs().isEmpty()
                  ? "(none: the defaults)"
                  : String.join(" ", spec.commandLine().getParseResult().originalArgs())));
      out.println();
      table.print(out);
      out.println();
      checks.forEach(check -> out.println("cross-check passed: " + check));
      out.printf("bench time: %.0f s%n", progress.elapsedSeconds());
      out.flush();
      if (work == null && succeeded) {
        deleteRecursively(folder);
      } else if (!succeeded) {
        err.println("data and server logs kept in " + folder);
      }
    }
    return succeeded ? 0 : 1;
  }

  private Settings settings() {
    int jdbcRows = jdbcEntityRows != null ? jdbcEntityRows : entityRows;
    int postgresRows = postgresEntityRows != null ? postgresEntityRows : jdbcRows;
    if (skipFile && skipJdbc) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--skip-file and --skip-jdbc together leave nothing to measure");
    }
    if (jdbcRows < 1 || jdbcRows > entityRows || postgresRows < 1 || postgresRows > entityRows) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--jdbc-entity-rows and --postgres-entity-rows take the first rows of the large request:"
              + " from 1 to --entity-rows ("
              + entityRows
              + ")");
    }
    if (clientMinRows < 1 || clientMaxRows < clientMinRows) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--client-min-rows must be ≥ 1 and ≤ --client-max-rows");
    }
    if (warmRuns < 1 || referenceRuns < 1 || smallRequests < 1 || clients < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--warm-runs, --reference-runs, --small-requests and --clients must be ≥ 1");
    }
    return new Settings(
        warmRuns,
        referenceRuns,
        smallRequests,
        smallBudget,
        clients,
        clientMinRows,
        clientMaxRows,
        concurrencyDuration,
        jdbcRows,
        postgresRows,
        !skipFile,
        !skipJdbc,
        !skipJdbc && !skipPostgres,
        serverHeap);
  }

  private static void deleteRecursively(Path folder) throws IOException {
    Files.walkFileTree(
        folder,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
