package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flightdeck validate-source}: checks a data source against the views that read it. */
@Command(
    name = "validate-source",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that a data source can be read and has the columns and types its feature views"
          + " declare (validate_data_source). Exits 0 when it is valid, 1 with the fault otherwise."
    })
final class ValidateSourceCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Mixin SourceName source;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator)) {
      store.validateDataSource(source.name);
    }
    out.println("data source " + source.name + " is valid");
    out.flush();
    return 0;
  }
}
