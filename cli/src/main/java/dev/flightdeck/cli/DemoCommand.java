package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RetrievalJob;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flightdeck demo}: a server on the example repository and one remote retrieval through the
 * client.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Serves the example repository on a free port and retrieves historical features through the remote client.")
final class DemoCommand implements Callable<Integer> {
  /**
   * Set by the launcher script to the project folder, so the default repository is found from any
   * cwd.
   */
  static final String HOME_PROPERTY = "flightdeck.home";

  static final String DEFAULT_REPO = "examples/driver_repo";
  private static final int SHOWN_ROWS = 10;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--repo",
      paramLabel = "DIR",
      description =
          "Repository to serve (default: "
              + DEFAULT_REPO
              + "). The demo serves a temporary copy, so a database file in it stays as it is.")
  Path repo;

  @Override
  public Integer call() throws Exception {
    Path repository = repository();
    PrintWriter out = spec.commandLine().getOut();
    try (TemporaryCopy copy = TemporaryCopy.of(repository);
        BufferAllocator allocator = new RootAllocator();
        FlightdeckServer server =
            FlightdeckServer.forRepository(
                    copy.path(), allocator, ServerConfig.defaults().withPort(0))
                .start();
        RemoteOfflineStore store = new RemoteOfflineStore(server.location(), allocator);
        VectorSchemaRoot entities = DemoEntities.create(allocator)) {
      out.println(
          "Flightdeck serving "
              + repository
              + " (a temporary copy) at "
              + server.location().getUri());
      out.println(
          "Requesting "
              + String.join(", ", DemoEntities.FEATURES)
              + " for "
              + entities.getRowCount()
              + " entity rows");
      long start = System.nanoTime();
      try (RetrievalJob job =
              store.getHistoricalFeatures(
                  HistoricalFeaturesRequest.of(entities, DemoEntities.FEATURES));
          VectorSchemaRoot result = job.toArrow(allocator)) {
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        out.println();
        TablePrinter.print(result, SHOWN_ROWS, out);
        out.println();
        out.println(
            result.getRowCount()
                + " rows, "
                + result.getFieldVectors().size()
                + " columns in "
                + elapsedMillis
                + " ms"
                + (result.getRowCount() > SHOWN_ROWS ? " (first " + SHOWN_ROWS + " shown)" : ""));
      }
    }
    out.flush();
    return 0;
  }

  private Path repository() {
    Path chosen = repo;
    if (chosen == null) {
      String home = System.getProperty(HOME_PROPERTY);
      chosen = home != null ? Path.of(home).resolve(DEFAULT_REPO) : Path.of(DEFAULT_REPO);
    }
    Path absolute = chosen.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute.resolve("feature_store.yaml"))) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY, "no feature_store.yaml in " + absolute);
    }
    return absolute;
  }
}
