package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code do_action} half of the wire contract, spoken by a plain Flight client against the
 * reference server on a copy of the driver example.
 */
class WireActionsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;
  private Path repository;
  private BufferAllocator allocator;
  private FlightdeckServer server;
  private FlightClient client;
  private RawPuts puts;

  @BeforeEach
  void startServer() throws IOException {
    repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    allocator = new RootAllocator();
    server =
        FlightdeckServer.forRepository(repository, allocator, ServerConfig.defaults().withPort(0))
            .start();
    client = FlightClient.builder(allocator, server.location()).build();
    puts = new RawPuts(client, allocator);
  }

  @AfterEach
  void stopServer() throws Exception {
    client.close();
    server.close();
    allocator.close();
  }

  @Test
  void listActionsNamesExactlyWhatIsServed() {
    List<String> types = new ArrayList<>();
    for (ActionType type : client.listActions()) {
      types.add(type.getType());
      assertThat(type.getDescription()).isNotBlank();
    }
    assertThat(types)
        .containsExactlyInAnyOrder(
            "offline_write_batch",
            "write_logged_features",
            "validate_data_source",
            "persist",
            "cancel",
            "describe",
            "health");
  }

  @Test
  void describeTellsNamesAndTypesButNoPaths() throws Exception {
    JsonNode description = JSON.readTree(action("describe", new byte[0]));

    assertThat(description.get("project").asText()).isEqualTo("driver_demo");
    JsonNode view = description.get("feature_views").get(0);
    assertThat(view.get("name").asText()).isEqualTo("driver_hourly_stats");
    assertThat(view.get("join_keys").get(0).asText()).isEqualTo("driver_id");
    assertThat(view.get("ttl").asText()).isEqualTo("P1D");
    assertThat(view.get("features").get(2).get("dtype").asText()).isEqualTo("int64");
    assertThat(description.get("data_sources").get(0).get("field_mapping").get("trips").asText())
        .isEqualTo("avg_daily_trips");
    assertThat(description.toString()).doesNotContain(".parquet", "data/");
  }

  @Test
  void validateAndWriteBatchRunAsActionsOnTheirCommand() throws Exception {
    String validate = UUID.randomUUID().toString();
    putStrings(validate, "validate_data_source", "data_source_name", "driver_stats_source");
    JsonNode valid = JSON.readTree(action("validate_data_source", validate.getBytes(UTF_8)));
    assertThat(valid.get("valid").asBoolean()).isTrue();

    String write = UUID.randomUUID().toString();
    putStrings(write, "offline_write_batch", "feature_view", "customer_profile");
    try (VectorSchemaRoot rows =
        TestTable.with(allocator)
            .int64("customer_id")
            .timestamp("event_timestamp")
            .float32("current_balance")
            .float32("avg_passenger_count")
            .int64("lifetime_trip_count")
            .row(299L, TestTable.at("2024-01-04T00:00:00Z"), 1.5f, 2.5f, 3L)
            .build()) {
      puts.put(write, "offline_write_batch", "table", rows);
    }
    assertThat(
            JSON.readTree(action("offline_write_batch", write.getBytes(UTF_8)))
                .get("rows")
                .asLong())
        .isEqualTo(1);
    // The command was consumed by its action.
    assertStatus(
        () -> action("offline_write_batch", write.getBytes(UTF_8)),
        FlightStatusCode.NOT_FOUND,
        "UNKNOWN_COMMAND");
  }

  @Test
  void persistRunsAPendingDataCommandOnTheServer() throws Exception {
    String command = pullCommand();
    byte[] body =
        ("{\"command\": \""
                + command
                + "\", \"destination\": \"hour_zero\", \"allow_overwrite\": false}")
            .getBytes(UTF_8);
    assertThat(JSON.readTree(action("persist", body)).get("rows").asLong()).isEqualTo(5);
    assertThat(repository.resolve("output/hour_zero.parquet")).isRegularFile();

    String again = pullCommand();
    byte[] againBody =
        ("{\"command\": \""
                + again
                + "\", \"destination\": \"hour_zero\", \"allow_overwrite\": false}")
            .getBytes(UTF_8);
    assertStatus(
        () -> action("persist", againBody), FlightStatusCode.ALREADY_EXISTS, "DESTINATION_EXISTS");

    String unknown = UUID.randomUUID().toString();
    byte[] unknownBody =
        ("{\"command\": \"" + unknown + "\", \"destination\": \"x\", \"allow_overwrite\": false}")
            .getBytes(UTF_8);
    assertStatus(
        () -> action("persist", unknownBody), FlightStatusCode.NOT_FOUND, "UNKNOWN_COMMAND");
    assertStatus(
        () -> action("persist", "{\"command\": 1}".getBytes(UTF_8)),
        FlightStatusCode.INVALID_ARGUMENT,
        "INVALID_PARAMETER");
  }

  @Test
  void cancelDropsAPendingCommand() throws Exception {
    String command = pullCommand();
    JsonNode cancelled = JSON.readTree(action("cancel", command.getBytes(UTF_8)));
    assertThat(cancelled.get("command").asText()).isEqualTo(command);
    assertStatus(() -> drain(command), FlightStatusCode.NOT_FOUND, "UNKNOWN_COMMAND");
    assertStatus(
        () -> action("cancel", command.getBytes(UTF_8)),
        FlightStatusCode.NOT_FOUND,
        "UNKNOWN_COMMAND");
  }

  @Test
  void misusedActionsAreRefusedAndTheServerKeepsServing() throws Exception {
    assertStatus(
        () -> action("drop_everything", new byte[0]),
        FlightStatusCode.INVALID_ARGUMENT,
        "UNKNOWN_API");

    String pull = pullCommand();
    assertStatus(
        () -> action("offline_write_batch", pull.getBytes(UTF_8)),
        FlightStatusCode.INVALID_ARGUMENT,
        "INVALID_PARAMETER");

    String write = UUID.randomUUID().toString();
    putStrings(write, "offline_write_batch", "feature_view", "customer_profile");
    assertStatus(
        () -> action("offline_write_batch", write.getBytes(UTF_8)),
        FlightStatusCode.INVALID_ARGUMENT,
        "MISSING_PARAMETER");

    String data = UUID.randomUUID().toString();
    putStrings(data, "validate_data_source", "data_source_name", "driver_stats_source");
    assertStatus(() -> drain(data), FlightStatusCode.INVALID_ARGUMENT, "INVALID_PARAMETER");

    assertThat(drain(pullCommand())).isEqualTo(5); // still serving
  }

  /** A pending pull_latest of hour 0 for the five drivers. */
  private String pullCommand() {
    String command = UUID.randomUUID().toString();
    String api = "pull_latest_from_table_or_query";
    putStrings(command, api, "data_source_name", "driver_stats_source");
    putStrings(command, api, "join_key_columns", "driver_id");
    putStrings(command, api, "feature_name_columns", "conv_rate");
    putStrings(command, api, "timestamp_field", "event_timestamp");
    try (VectorSchemaRoot start =
            TestTable.with(allocator)
                .timestamp("start_date")
                .row(TestTable.at("2024-01-01T00:00:00Z"))
                .build();
        VectorSchemaRoot end =
            TestTable.with(allocator)
                .timestamp("end_date")
                .row(TestTable.at("2024-01-01T00:30:00Z"))
                .build()) {
      puts.put(command, api, "start_date", start);
      puts.put(command, api, "end_date", end);
    }
    return command;
  }

  private void putStrings(String command, String api, String param, String value) {
    try (VectorSchemaRoot table = TestTable.with(allocator).string(param).row(value).build()) {
      puts.put(command, api, param, table);
    }
  }

  private byte[] action(String type, byte[] body) {
    Iterator<Result> results = client.doAction(new Action(type, body));
    byte[] answer = results.next().getBody();
    assertThat(results.hasNext()).isFalse();
    return answer;
  }

  private long drain(String command) throws Exception {
    long rows = 0;
    try (FlightStream stream = client.getStream(new Ticket(command.getBytes(UTF_8)))) {
      while (stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
    }
    return rows;
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static void assertStatus(Call call, FlightStatusCode status, String errorCode) {
    FlightRuntimeException error =
        catchThrowableOfType(FlightRuntimeException.class, () -> call.run());
    assertThat(error).as("expected %s", status).isNotNull();
    assertThat(error.status().code()).isEqualTo(status);
    assertThat(FlightErrors.fromFlight(error).code().name()).isEqualTo(errorCode);
  }
}
