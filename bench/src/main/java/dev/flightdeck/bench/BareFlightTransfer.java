package dev.flightdeck.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The client side of the transfer ceiling: {@code do_get}s from a {@link BareFlightServer} in
 * another JVM, read as the bench reads Flightdeck's results.
 */
final class BareFlightTransfer {
  private static final Pattern SERVING = Pattern.compile("bare flight serving at (\\d+)");

  private BareFlightTransfer() {}

  /**
   * Starts the server with {@code rows} rows, streams {@code warmups} unmeasured times (the first
   * streams between two fresh JVMs run at a fraction of the speed) and returns the median of {@code
   * runs}.
   */
  static TimedResult median(
      int rows, int batchRows, int warmups, int runs, Path log, BufferAllocator allocator)
      throws IOException, InterruptedException {
    try (ChildJvm server =
        ChildJvm.start(
            "bare flight server",
            "2g",
            log,
            BareFlightServer.class.getName(),
            List.of(String.valueOf(rows), String.valueOf(batchRows)))) {
      int port = Integer.parseInt(server.await(SERVING, Duration.ofMinutes(2)));
      try (FlightClient client =
          FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build()) {
        for (int i = 0; i < warmups; i++) {
          get(client);
        }
        List<TimedResult> measured = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          measured.add(get(client));
        }
        return TimedResult.median(measured);
      }
    }
  }

  private static TimedResult get(FlightClient client) {
    ResultSummary summary = new ResultSummary();
    long start = System.nanoTime();
    try (FlightStream stream = client.getStream(new Ticket(new byte[] {0}))) {
      while (stream.next()) {
        summary.add(stream.getRoot());
      }
    } catch (Exception e) {
      throw new IllegalStateException("the bare Flight transfer failed: " + e.getMessage(), e);
    }
    return new TimedResult(System.nanoTime() - start, summary);
  }
}
