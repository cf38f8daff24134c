package dev.flightdeck.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo end to end (server, client, printing) over the test backend {@code fake}. */
class TestDemoCommand {
  @Test
  void demoRetrievesAndPrintsATable(@TempDir Path repo) throws Exception {
    Files.writeString(
        repo.resolve("feature_store.yaml"),
        """
        project: demo_test
        offline_store: {type: fake}
        entities:
          - {name: driver, join_keys: [driver_id]}
          - {name: customer, join_keys: [customer_id]}
        data_sources:
          - {name: drivers, path: data/drivers, timestamp_field: event_timestamp}
          - {name: customers, path: data/customers, timestamp_field: event_timestamp}
        feature_views:
          - name: driver_hourly_stats
            entities: [driver]
            source: drivers
            schema:
              - {name: conv_rate, dtype: float32}
              - {name: acc_rate, dtype: float32}
              - {name: avg_daily_trips, dtype: int64}
          - name: customer_profile
            entities: [customer]
            source: customers
            schema:
              - {name: current_balance, dtype: float32}
              - {name: lifetime_trip_count, dtype: int64}
        """);
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
            "Flightdeck serving " + repo.toAbsolutePath().normalize() + " at grpc+tcp://127.0.0.1:")
        .contains("driver_id  customer_id  event_timestamp")
        .contains("1001       201          2024-01-01T10:30:00Z")
        .contains("15 rows, 8 columns in ")
        .contains("(first 10 shown)");
  }
}
