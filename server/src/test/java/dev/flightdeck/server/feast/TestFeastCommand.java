package dev.flightdeck.server.feast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestFeastCommand {
  private static final String ID = "8d6a366a-c8d3-4f96-b085-f9f686111815";

  @Test
  void tellsTheDialectsApart() {
    assertThat(FeastCommand.isFeast(" {\"api\": 1}".getBytes(UTF_8))).isTrue();
    assertThat(FeastCommand.isFeast(ID.getBytes(UTF_8))).isFalse();
    assertThat(FeastCommand.isFeast(new byte[0])).isFalse();
  }

  @Test
  void readsACommandAndItsTicket() {
    FeastCommand command =
        parse("{\"command_id\": \"" + ID + "\", \"api\": \"pull_all\", \"n\": null}");
    assertThat(command.commandId()).isEqualTo(ID);
    assertThat(command.api()).isEqualTo("pull_all");
    assertThat(command.optionalString("n")).isEmpty();
    assertThat(new String(FeastCommand.ticket(ID).getBytes(), UTF_8))
        .isEqualTo("{\"command_id\": \"" + ID + "\"}");
    assertThat(FeastCommand.commandIdOf(FeastCommand.ticket(ID), 1000)).isEqualTo(ID);
  }

  @Test
  void refusesWhatIsNotACommand() {
    assertCode("{\"command_id\": ", ErrorCode.MALFORMED_COMMAND);
    assertCode("[1, 2]", ErrorCode.MALFORMED_COMMAND);
    assertCode("{\"api\": \"x\"}", ErrorCode.MALFORMED_COMMAND);
    assertCode("{\"command_id\": 7, \"api\": \"x\"}", ErrorCode.MALFORMED_COMMAND);
    assertCode("{\"command_id\": \"not-a-uuid\", \"api\": \"x\"}", ErrorCode.MALFORMED_COMMAND);
    assertCode("{\"command_id\": \"" + ID + "\"}", ErrorCode.MALFORMED_COMMAND);
    assertCode(
        "{\"command_id\": \"" + ID + "\", \"api\": \"x\", \"api\": \"y\"}",
        ErrorCode.MALFORMED_COMMAND);
    assertCode("{\"a\": " + "[".repeat(5000) + "]".repeat(5000) + "}", ErrorCode.MALFORMED_COMMAND);
    assertThatThrownBy(
            () -> FeastCommand.parse(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, 100))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_COMMAND));
    assertThatThrownBy(
            () ->
                FeastCommand.commandIdOf(
                    new org.apache.arrow.flight.Ticket("{\"command_id\": 1}".getBytes(UTF_8)), 100))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_COMMAND));
    assertThatThrownBy(() -> FeastCommand.parse(new byte[2000], 1000))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.LIMIT_EXCEEDED))
        .hasMessageContaining("--max-action-bytes");
  }

  @Test
  void typesAreChecked() {
    FeastCommand command =
        parse(
            "{\"command_id\": \""
                + ID
                + "\", \"api\": \"x\", \"refs\": \"a:b\", \"flag\": 1, \"names\": [\"a\", null]}");
    assertThatThrownBy(() -> command.strings("refs", false))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
        .hasMessageContaining("'refs' must be a list of strings, got a string");
    assertThatThrownBy(() -> command.bool("flag", false))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    assertThatThrownBy(() -> command.strings("names", false))
        .isInstanceOf(FlightdeckException.class);
    assertThat(command.strings("names", true)).containsExactly("a", null);
    assertThatThrownBy(() -> command.string("absent"))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_PARAMETER));
  }

  @Test
  void readsDatesAsPythonsFromisoformatThenUtc() {
    Instant ten = Instant.parse("2024-01-01T10:00:00Z");
    assertThat(FeastCommand.isoInstant("d", "2024-01-01T10:00:00+00:00")).isEqualTo(ten);
    assertThat(FeastCommand.isoInstant("d", "2024-01-01T10:00:00")).isEqualTo(ten);
    assertThat(FeastCommand.isoInstant("d", "2024-01-01 12:00:00+02:00")).isEqualTo(ten);
    assertThat(FeastCommand.isoInstant("d", "2024-01-01T10:00:00.123000+00:00"))
        .isEqualTo(Instant.parse("2024-01-01T10:00:00.123Z"));
    assertThat(FeastCommand.isoInstant("d", "2024-01-01"))
        .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThatThrownBy(() -> FeastCommand.isoInstant("d", "yesterday"))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
  }

  private static FeastCommand parse(String json) {
    return FeastCommand.parse(json.getBytes(UTF_8), 64 * 1024);
  }

  private static void assertCode(String json, ErrorCode code) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
