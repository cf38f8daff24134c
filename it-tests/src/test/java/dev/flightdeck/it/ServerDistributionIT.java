package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RetrievalJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded server jar as users run it, in its own JVM: it finds the file backend through its
 * merged ServiceLoader entries, serves the example, and stops cleanly on SIGTERM.
 */
class ServerDistributionIT {
  @Test
  @Timeout(120)
  void servesTheExampleAndStopsOnSigterm(@TempDir Path scratch) throws Exception {
    servesAndStops(ExampleRepository.directory(), scratch);
  }

  /** The JDBC backend and the H2 driver are in the jar, found through merged service files. */
  @Test
  @Timeout(120)
  void servesTheDatabaseExample(@TempDir Path scratch) throws Exception {
    Path copy = scratch.resolve("repo");
    ExampleRepository.copy(ExampleRepository.jdbcDirectory(), copy);
    servesAndStops(copy, scratch);
  }

  /** Without the flag Arrow needs, the command says so in one line instead of a stack trace. */
  @Test
  @Timeout(60)
  void aMissingAddOpensFlagIsOneClearLine(@TempDir Path scratch) throws Exception {
    Path log = scratch.resolve("out.log");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                ServerProcesses.shadedJar().toString(),
                "dev.flightdeck.cli.FlightdeckCommand",
                "describe")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log, UTF_8).strip())
        .isEqualTo(
            "flightdeck: Java must run with --add-opens=java.base/java.nio=ALL-UNNAMED (Arrow needs"
                + " it); ./flightdeck and java -jar pass it, java -cp needs the flag");
  }

  /**
   * On SIGTERM the server stops taking commands (health and new puts answer UNAVAILABLE), lets a
   * running stream finish within the grace period, then exits 0.
   */
  @Test
  @Timeout(180)
  void sigtermLetsRunningStreamsFinishAndExitsZero(@TempDir Path scratch) throws Exception {
    Path log = scratch.resolve("server.log");
    int port = ServerProcesses.freePort();
    Process server = serve(ExampleRepository.directory(), port, log, "--shutdown-grace", "PT60S");
    ProcessOutput output = new ProcessOutput(log);
    try (BufferAllocator allocator = new RootAllocator();
        FlightClient client =
            FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", port)).build()) {
      output.await("Flightdeck serving", 60);
      FlightStream running = LargeRequests.get(client, allocator, 1_000_000);
      assertThat(running.next()).isTrue();
      long rows = running.getRoot().getRowCount();

      server.destroy(); // SIGTERM
      output.await("Shutting down", 30);
      FlightRuntimeException health =
          catchThrowableOfType(
              FlightRuntimeException.class,
              () -> client.doAction(new Action("health")).forEachRemaining(result -> {}));
      assertThat(health.status().code()).isEqualTo(FlightStatusCode.UNAVAILABLE);
      FlightRuntimeException newWork =
          catchThrowableOfType(
              FlightRuntimeException.class, () -> LargeRequests.put(client, allocator, 10));
      assertThat(newWork.status().code()).isEqualTo(FlightStatusCode.UNAVAILABLE);
      assertThat(newWork.status().description()).contains("shutting down");

      Thread.sleep(1_000); // a slow reader, still inside the grace period
      rows += LargeRequests.drain(running);
      assertThat(rows).isEqualTo(1_000_000);
      running.close();
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
      assertThat(server.exitValue()).as(output.text()).isZero();
    } finally {
      server.destroyForcibly();
    }
    assertThat(output.text()).doesNotContain("did not finish", "Exception");
  }

  private static Process serve(Path repository, int port, Path log, String... flags)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-jar",
                ServerProcesses.shadedJar().toString(),
                "serve",
                "--repo",
                repository.toString(),
                "--port",
                String.valueOf(port)));
    command.addAll(List.of(flags));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private void servesAndStops(Path repository, Path scratch) throws Exception {
    Path log = scratch.resolve("server.log");
    int port = ServerProcesses.freePort();
    Process server = serve(repository, port, log);
    ProcessOutput output = new ProcessOutput(log);
    try {
      output.await("Flightdeck serving", 60);

      try (BufferAllocator allocator = new RootAllocator();
          RemoteOfflineStore remote = new RemoteOfflineStore("127.0.0.1", port, allocator);
          VectorSchemaRoot entities =
              TestTable.with(allocator)
                  .int64("driver_id")
                  .timestamp("event_timestamp")
                  .row(1001L, at("2024-01-01T10:30:00Z"))
                  .build();
          RetrievalJob job =
              remote.getHistoricalFeatures(
                  HistoricalFeaturesRequest.of(
                      entities, List.of("driver_hourly_stats:avg_daily_trips")));
          VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getVector("avg_daily_trips").getObject(0)).isEqualTo(601L);
      }

      server.destroy(); // SIGTERM
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(server.exitValue()).isZero();
    } finally {
      server.destroyForcibly();
    }
    assertThat(output.text())
        .contains("Shutting down")
        .doesNotContain("Exception", "did not finish cleanly");
    // One audit line per call: who, what, how much, how it ended; no feature values.
    assertThat(output.text())
        .containsPattern(
            "INFO audit - principal=anonymous api=get_historical_features"
                + " command=[0-9a-f-]{36} rows_in=1 bytes_in=\\d+ rows_out=0 bytes_out=0"
                + " peer=/127\\.0\\.0\\.1:\\d+ method=DoPut duration_ms=\\d+ status=OK code=-")
        .containsPattern(
            "INFO audit - principal=anonymous api=get_historical_features"
                + " command=[0-9a-f-]{36} rows_in=0 bytes_in=0 rows_out=1 bytes_out=\\d+ .*"
                + " method=DoGet .* status=OK");
  }

  /**
   * A process's output, sent to a file: {@code Process.destroy()} closes the output pipe, so the
   * shutdown messages could not be read from it.
   */
  private static final class ProcessOutput {
    private final Path file;

    ProcessOutput(Path file) {
      this.file = file;
    }

    void await(String expected, int seconds) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (!text().contains(expected)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("server did not print '" + expected + "':\n" + text());
        }
        Thread.sleep(50);
      }
    }

    String text() throws IOException {
      return Files.readString(file, UTF_8);
    }
  }
}
