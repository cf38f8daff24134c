package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pull-latest} and {@code pull-all}: rows of a source in a time range, into a file. */
abstract class PullCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Mixin PullOptions pull;

  @Mixin ResultOutput output;

  abstract RetrievalJob pull(RemoteOfflineStore store, PullRequest request);

  @Override
  public Integer call() throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator);
        RetrievalJob job = pull(store, pull.request(store))) {
      output.write(job, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    return 0;
  }

  @Command(
      name = "pull-latest",
      mixinStandardHelpOptions = true,
      description =
          "Pulls the latest row per join key with a timestamp in [--start, --end] (both required)"
              + " from a running server, as materialisation reads it.")
  static final class Latest extends PullCommand {
    @Override
    RetrievalJob pull(RemoteOfflineStore store, PullRequest request) {
      // Said in this command's own flags; the server would name the wire params.
      if (pull.start == null || pull.end == null) {
        throw new FlightdeckException(
            ErrorCode.MISSING_PARAMETER, "pull-latest needs both --start and --end");
      }
      return store.pullLatestFromTableOrQuery(request);
    }
  }

  @Command(
      name = "pull-all",
      mixinStandardHelpOptions = true,
      description =
          "Pulls every row with a timestamp in [--start, --end] (either may be left out) from a"
              + " running server.")
  static final class All extends PullCommand {
    @Override
    RetrievalJob pull(RemoteOfflineStore store, PullRequest request) {
      return store.pullAllFromTableOrQuery(request);
    }
  }
}
