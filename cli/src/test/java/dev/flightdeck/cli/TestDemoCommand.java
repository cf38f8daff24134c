package dev.flightdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo end to end (server, client, printing) over the committed example repository. */
class TestDemoCommand {
  @Test
  void demoRetrievesAndPrintsATable() throws Exception {
    Path repo = Path.of("..", "examples", "driver_repo");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = FlightdeckCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));

    int exitCode = commandLine.execute("demo", "--repo", repo.toString());

    assertThat(err.toString()).isEmpty();
    assertThat(exitCode).isZero();
    assertThat(out.toString())
        .contains(
            "Flightdeck serving "
                + repo.toAbsolutePath().normalize()
                + " (a temporary copy) at grpc+tcp://127.0.0.1:")
        .contains("driver_id  customer_id  event_timestamp")
        .contains("1001       201          2024-01-01T10:30:00Z")
        .contains("15 rows, 8 columns in ")
        .contains("(first 10 shown)");
  }
}
