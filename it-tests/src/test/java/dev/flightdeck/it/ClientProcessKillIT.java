package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client whose process is killed (SIGKILL: no cancel, no goodbye, only the kernel closing its
 * socket) in the middle of a do_put or a do_get costs the server nothing once the connection is
 * gone: the put or stream ends, every byte it held returns to the allocator, and the next client is
 * served. The server runs here, on an allocator this test owns and closes, so a leak fails the
 * test; the client is a {@link KillableClient} in a JVM of its own.
 */
class ClientProcessKillIT {
  /** Batches of 100,000 rows the killed put sends: 2M rows, ~32 MiB held by the server. */
  private static final int PUT_BATCHES = 20;

  /** Rows of the killed do_get's result: ~30 MB, more than the transport buffers. */
  private static final int GET_ROWS = 1_000_000;

  private static final Duration RECOVERY = Duration.ofSeconds(30);

  @TempDir Path work;
  private BufferAllocator serverAllocator;
  private BufferAllocator clientAllocator;
  private FlightdeckServer server;
  private Process client;
  private long baseline;

  @BeforeEach
  void startServer() throws Exception {
    serverAllocator = new RootAllocator();
    clientAllocator = new RootAllocator();
    Path repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    server =
        FlightdeckServer.forRepository(
                repository, serverAllocator, ServerConfig.defaults().withPort(0))
            .start();
    // One whole request first, so that whatever the server keeps once it served (caches, pools)
    // is in the baseline.
    assertThat(tripsOfDriver1001()).isEqualTo(601L);
    waitUntil("the server's memory settles", () -> server.openStreams() == 0);
    baseline = settledServerMemory();
  }

  @AfterEach
  void stopServer() throws Exception {
    if (client != null) {
      client.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    server.close();
    serverAllocator.close(); // fails on memory the server did not give back
    clientAllocator.close();
  }

  @Test
  @Timeout(120)
  void aClientKilledMidPutCostsNothingOnceGone() throws Exception {
    Path output = startClient("put", PUT_BATCHES);
    String command = awaitReady(output);
    waitUntil("the put is received", () -> server.openPuts() == 1);
    waitUntil(
        "the server holds the rows received so far",
        () -> serverAllocator.getAllocatedMemory() - baseline > 16L << 20);

    kill();

    waitUntil(
        "the killed client's put ends and its memory is freed",
        () -> server.openPuts() == 0 && serverAllocator.getAllocatedMemory() == baseline);
    assertThat(tripsOfDriver1001()).as("another client is served").isEqualTo(601L);
    // The half-received command is dropped with its put, as one refused over a limit or the idle
    // timeout is: nothing of a client that is gone stays pending (nor counts against the
    // principal's --max-commands-per-principal) until the pending-command TTL.
    assertCommandGone(command);
  }

  @Test
  @Timeout(120)
  void aClientKilledMidGetCostsNothingOnceGone() throws Exception {
    Path output = startClient("get", GET_ROWS);
    String command = awaitReady(output);
    assertThat(server.openStreams()).as("the killed client's stream is open").isEqualTo(1);
    assertThat(serverAllocator.getAllocatedMemory())
        .as("the server holds the unsent result")
        .isGreaterThan(baseline);

    kill();

    waitUntil(
        "the killed client's stream ends and its memory is freed",
        () -> server.openStreams() == 0 && serverAllocator.getAllocatedMemory() == baseline);
    assertThat(tripsOfDriver1001()).as("another client is served").isEqualTo(601L);
    assertCommandGone(command);
  }

  /** Starts a {@link KillableClient} on this JVM's class path; its output goes to a file. */
  private Path startClient(String mode, int amount) throws IOException {
    Path output = work.resolve(mode + "-client.log");
    client =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                KillableClient.class.getName(),
                mode,
                String.valueOf(server.port()),
                String.valueOf(amount))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return output;
  }

  /** Waits for the client to print READY; the id of its command. */
  private String awaitReady(Path output) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      String text = Files.readString(output, UTF_8);
      if (text.contains("READY")) {
        Matcher id = Pattern.compile("COMMAND (\\S+)").matcher(text);
        assertThat(id.find()).as(text).isTrue();
        return id.group(1);
      }
      if (!client.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the client did not get mid-call:\n" + text);
      }
      Thread.sleep(50);
    }
  }

  private void kill() throws InterruptedException {
    client.destroyForcibly(); // SIGKILL
    assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("the client died").isTrue();
    assertThat(client.exitValue()).as("killed by SIGKILL").isEqualTo(137);
  }

  /** The command is neither pending nor streaming: {@code cancel} does not find it. */
  private void assertCommandGone(String command) {
    try (FlightClient raw =
        FlightClient.builder(clientAllocator, Location.forGrpcInsecure("localhost", server.port()))
            .build()) {
      FlightRuntimeException error =
          catchThrowableOfType(
              FlightRuntimeException.class,
              () ->
                  raw.doAction(new Action("cancel", command.getBytes(UTF_8)))
                      .forEachRemaining(result -> {}));
      assertThat(error)
          .as("command %s of the killed client is still held by the server", command)
          .isNotNull();
      assertThat(error.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
      assertThat(FlightErrors.fromFlight(error).code()).isEqualTo(ErrorCode.UNKNOWN_COMMAND);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private long tripsOfDriver1001() {
    try (RemoteOfflineStore store =
        new RemoteOfflineStore("localhost", server.port(), clientAllocator)) {
      return ExampleRepository.tripsOfDriver1001(store, clientAllocator);
    }
  }

  /** The server frees a call's memory as the call ends, which may be just after the client's. */
  private long settledServerMemory() throws InterruptedException {
    long last = -1;
    for (int stable = 0; stable < 3; ) {
      long now = serverAllocator.getAllocatedMemory();
      stable = now == last ? stable + 1 : 0;
      last = now;
      Thread.sleep(100);
    }
    return last;
  }

  private void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
    Poll.until(
        what,
        RECOVERY,
        condition,
        () ->
            "open puts "
                + server.openPuts()
                + ", open streams "
                + server.openStreams()
                + ", server memory "
                + serverAllocator.getAllocatedMemory()
                + " bytes (baseline "
                + baseline
                + ")");
  }
}
