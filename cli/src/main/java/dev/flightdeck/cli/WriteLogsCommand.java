package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.protocol.RepositoryDescription;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.spi.SourceColumn;
import dev.flightdeck.tables.CsvColumnCasts;
import dev.flightdeck.tables.TableFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
      if (TableFiles.Format.of(in) == TableFiles.Format.CSV) {
        try (VectorSchemaRoot narrowed =
            CsvColumnCasts.narrow(rows, featureColumns(store), allocator)) {
          written = store.writeLoggedFeatures(featureService, narrowed);
        }
      } else {
        written = store.writeLoggedFeatures(featureService, rows);
      }
    }
    out.println("logged " + written + " rows for feature service " + featureService);
    out.flush();
    return 0;
  }

  /** CSV reads numbers wide; a log column named view__feature takes the feature's dtype. */
  private List<SourceColumn> featureColumns(RemoteOfflineStore store) {
    RepositoryDescription repository = store.describe();
    List<SourceColumn> columns = new ArrayList<>();
    for (RepositoryDescription.FeatureServiceInfo service : repository.featureServices()) {
      if (!service.name().equals(featureService)) {
        continue;
      }
      for (String reference : service.features()) {
        FeatureReference parsed = FeatureReference.parse(reference);
        repository
            .featureView(parsed.view())
            .flatMap(
                view ->
                    view.features().stream()
                        .filter(feature -> feature.name().equals(parsed.feature()))
                        .findFirst())
            .ifPresent(
                feature -> columns.add(new SourceColumn(parsed.fullName(), feature.dtype())));
      }
    }
    return columns;
  }
}
