package dev.flightdeck.server.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flightdeck pull-all}: every row of a data source in a time range. */
@Command(
    name = "pull-all",
    mixinStandardHelpOptions = true,
    description =
        "Pulls every row with a timestamp in [--start, --end] (either may be left out)"
            + " from a data source of a running server.")
final class PullAllCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Mixin PullOptions pull;

  @Mixin ResultOutput output;

  @Override
  public Integer call() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator);
        RetrievalJob job = store.pullAllFromTableOrQuery(pull.request(store))) {
      output.write(job, allocator, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    return 0;
  }
}
