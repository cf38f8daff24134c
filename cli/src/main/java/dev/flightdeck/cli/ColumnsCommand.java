package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.spi.SourceColumn;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flightdeck columns}: the stored columns of a data source. */
@Command(
    name = "columns",
    mixinStandardHelpOptions = true,
    description = {
      "Lists a data source's stored columns and their types (get_table_column_names_and_types):"
          + " names before field_mapping, one per line."
    })
final class ColumnsCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Mixin SourceName source;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<SourceColumn> columns;
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator)) {
      columns = store.getTableColumnNamesAndTypes(source.name);
    }
    int width = columns.stream().mapToInt(column -> column.name().length()).max().orElse(0);
    for (SourceColumn column : columns) {
      out.println(column.name() + " ".repeat(width - column.name().length() + 2) + column.type());
    }
    out.flush();
    return 0;
  }
}
