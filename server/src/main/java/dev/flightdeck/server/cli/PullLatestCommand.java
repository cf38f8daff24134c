package dev.flightdeck.server.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code flightdeck pull-latest}: the latest row per join key in a time range, as materialisation
 * reads it.
 */
@Command(
    name = "pull-latest",
    mixinStandardHelpOptions = true,
    description =
        "Pulls the latest row per join key with a timestamp in [--start, --end] (both required)"
            + " from a data source of a running server.")
final class PullLatestCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Mixin PullOptions pull;

  @Mixin ResultOutput output;

  @Override
  public Integer call() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator);
        RetrievalJob job = store.pullLatestFromTableOrQuery(pull.request(store))) {
      output.write(job, allocator, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    return 0;
  }
}
