package dev.flightdeck.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.Limits;
import dev.flightdeck.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that start a large do_get and never read hold memory for their unsent results but no
 * thread: with as many of them as the server has stream threads, another client is still answered
 * at once, and the stalled streams still deliver every row when their clients read at last.
 */
class SlowReadersIT {
  private static final String API = Api.GET_HISTORICAL_FEATURES.wireName();

  /** Large enough that a result does not fit the transport's buffers: ~1M rows, ~30 MB. */
  private static final int LARGE = 1_000_000;

  @TempDir Path work;
  private BufferAllocator allocator;
  private FlightdeckServer server;
  private final List<FlightClient> clients = new ArrayList<>();

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void stop() throws Exception {
    for (FlightClient client : clients) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    allocator.close();
  }

  @Test
  void clientsThatNeverReadDoNotDelayOthers() throws Exception {
    int streamThreads = 8;
    // Room for 8 pending 1M-row requests of one (anonymous) principal: this is about threads.
    start(
        ServerConfig.defaults()
            .withStreamThreads(streamThreads)
            .withLimits(
                Limits.defaults()
                    .withPendingBytes(512 * Limits.MIB)
                    .withPendingBytesPerPrincipal(512 * Limits.MIB)));
    Duration baseline = timeOneSmallRequest();

    List<FlightStream> stalled = new ArrayList<>();
    for (int i = 0; i < streamThreads; i++) {
      stalled.add(startLargeGet(newClient()));
    }
    awaitOpenStreams(streamThreads);
    waitUntilServerMemorySettles();

    Duration during = timeOneSmallRequest();
    // The small request's own stream closes on the server just after its client has read it all.
    awaitOpenStreams(streamThreads);
    assertThat(during)
        .as("a request beside %d stalled streams (alone: %s)", streamThreads, baseline)
        .isLessThan(baseline.plusSeconds(1));

    for (FlightStream stream : stalled) {
      assertThat(drain(stream)).isEqualTo(LARGE);
      stream.close();
    }
    awaitOpenStreams(0);
  }

  @Test
  void streamsPerPrincipalAreLimited() throws Exception {
    start(ServerConfig.defaults().withLimits(Limits.defaults().withStreamsPerPrincipal(2)));
    FlightClient client = newClient();
    FlightStream first = startLargeGet(client);
    FlightStream second = startLargeGet(client);
    awaitOpenStreams(2);

    String third = putLargeRequest(client, 10);
    try (FlightStream refused = client.getStream(CommandIds.ticket(third))) {
      FlightRuntimeException error =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              FlightRuntimeException.class, refused::next);
      assertThat(error.status().code()).isEqualTo(FlightStatusCode.RESOURCE_EXHAUSTED);
      assertThat(error.status().description())
          .contains("already has 2 result streams in flight", "--max-streams-per-principal");
    }
    assertThat(drain(first)).isEqualTo(LARGE);
    assertThat(drain(second)).isEqualTo(LARGE);
    first.close();
    second.close();
    awaitOpenStreams(0);
    try (RemoteOfflineStore store = new RemoteOfflineStore("localhost", server.port(), allocator)) {
      assertThat(ExampleRepository.tripsOfDriver1001(store, allocator)).isEqualTo(601L);
    }
  }

  @Test
  void aStreamWhoseClientStopsReadingIsDroppedAfterTheReadTimeout() throws Exception {
    start(ServerConfig.defaults().withClientReadTimeout(Duration.ofSeconds(1)));
    long baseline = allocator.getAllocatedMemory();
    FlightStream stalled = startLargeGet(newClient());
    awaitOpenStreams(1);
    awaitOpenStreams(0);
    assertThat(allocator.getAllocatedMemory() - baseline)
        .as("what the server held for the dropped stream is freed; the client's buffers remain")
        .isLessThan(64L << 20);
    FlightRuntimeException error =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            FlightRuntimeException.class, () -> drain(stalled));
    assertThat(error).isNotNull();
    FlightdeckException translated = FlightErrors.fromFlight(error);
    assertThat(translated.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE);
    assertThat(translated.getMessage()).contains("--client-read-timeout");
    stalled.close();
  }

  private void start(ServerConfig config) throws Exception {
    Path repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    server = FlightdeckServer.forRepository(repository, allocator, config.withPort(0)).start();
  }

  private FlightClient newClient() {
    FlightClient client =
        FlightClient.builder(allocator, Location.forGrpcInsecure("localhost", server.port()))
            .build();
    clients.add(client);
    return client;
  }

  private Duration timeOneSmallRequest() {
    try (RemoteOfflineStore store = new RemoteOfflineStore("localhost", server.port(), allocator)) {
      ExampleRepository.tripsOfDriver1001(store, allocator); // warm the connection
      Instant start = Instant.now();
      assertThat(ExampleRepository.tripsOfDriver1001(store, allocator)).isEqualTo(601L);
      return Duration.between(start, Instant.now());
    }
  }

  /** A do_get of a large result, not read yet. */
  private FlightStream startLargeGet(FlightClient client) {
    return client.getStream(CommandIds.ticket(putLargeRequest(client, LARGE)));
  }

  private String putLargeRequest(FlightClient client, int rows) {
    return LargeRequests.put(client, allocator, rows);
  }

  private static long drain(FlightStream stream) {
    return LargeRequests.drain(stream);
  }

  private void waitUntilServerMemorySettles() throws InterruptedException {
    long last = -1;
    while (allocator.getAllocatedMemory() != last) {
      last = allocator.getAllocatedMemory();
      Thread.sleep(500);
    }
  }

  private void awaitOpenStreams(int count) throws InterruptedException {
    Poll.until(
        count + " open streams",
        Duration.ofSeconds(60),
        () -> server.openStreams() == count,
        () -> server.openStreams() + " open");
  }
}
