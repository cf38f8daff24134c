package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.tables.CsvColumnCasts;
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

/** {@code flightdeck write-batch}: appends rows to a feature view's source on a running server. */
@Command(
    name = "write-batch",
    mixinStandardHelpOptions = true,
    description = {
      "Appends the rows of a file to the data source of a feature view (offline_write_batch):"
          + " all rows or none.",
      "The file's columns must be the source's columns (names before field_mapping)."
    })
final class WriteBatchCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Option(
      names = "--view",
      required = true,
      paramLabel = "NAME",
      description = "Feature view whose source receives the rows.")
  String view;

  @Option(
      names = "--in",
      required = true,
      paramLabel = "FILE",
      description = "Rows to write: *.parquet or *.csv.")
  Path in;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator);
        VectorSchemaRoot read = TableFiles.read(in, allocator)) {
      long start = System.nanoTime();
      long written;
      if (TableFiles.Format.of(in) == TableFiles.Format.CSV) {
        try (VectorSchemaRoot narrowed = matchStoredWidths(store, read, allocator)) {
          written = store.offlineWriteBatch(view, narrowed);
        }
      } else {
        written = store.offlineWriteBatch(view, read);
      }
      out.println(
          "wrote "
              + written
              + " rows to feature view "
              + view
              + " in "
              + (System.nanoTime() - start) / 1_000_000
              + " ms");
    }
    out.flush();
    return 0;
  }

  /** CSV reads integers and decimals wide; narrow them to what the view's source stores. */
  private VectorSchemaRoot matchStoredWidths(
      RemoteOfflineStore store, VectorSchemaRoot rows, BufferAllocator allocator) {
    String source =
        store
            .describe()
            .featureView(view)
            .orElseThrow(
                () ->
                    new FlightdeckException(
                        ErrorCode.UNKNOWN_FEATURE_VIEW, "unknown feature view '" + view + "'"))
            .source();
    return CsvColumnCasts.narrow(rows, store.getTableColumnNamesAndTypes(source), allocator);
  }
}
