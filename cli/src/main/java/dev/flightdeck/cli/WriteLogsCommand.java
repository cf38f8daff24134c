package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.tables.TableFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code flightdeck write-logs}: appends logged feature rows to a feature service's log. */
@Command(
    name = "write-logs",
    mixinStandardHelpOptions = true,
    description = {
      "Appends the rows of a file to the logging destination of a feature service"
          + " (write_logged_features). The service must configure logging."
    })
final class WriteLogsCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Option(
      names = "--feature-service",
      required = true,
      paramLabel = "NAME",
      description = "Feature service whose log receives the rows.")
  String featureService;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE",
      description = "Rows to log: *.parquet, *.csv, *.arrow or *.feather.")
  Path in;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    long written;
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator);
        VectorSchemaRoot rows = TableFiles.read(in, allocator)) {
      written = store.writeLoggedFeatures(featureService, rows);
    }
    out.println("logged " + written + " rows for feature service " + featureService);
    out.flush();
    return 0;
  }
}
