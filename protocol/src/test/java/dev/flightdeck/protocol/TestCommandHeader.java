package dev.flightdeck.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class TestCommandHeader {
  private static final Schema SCHEMA =
      new Schema(
          List.of(Field.nullable("features", ArrowType.Utf8.INSTANCE)), Map.of("owner", "me"));

  @Test
  void tagRoundTripsAndKeepsOtherMetadata() {
    String id = CommandIds.newId();
    CommandHeader header = new CommandHeader(id, Api.GET_HISTORICAL_FEATURES, "features");

    Schema tagged = header.tag(SCHEMA);

    assertThat(tagged.getCustomMetadata())
        .containsEntry("command", id)
        .containsEntry("api", "get_historical_features")
        .containsEntry("param", "features")
        .containsEntry("owner", "me");
    assertThat(CommandHeader.fromSchema(tagged)).isEqualTo(header);
    assertThat(CommandHeader.strip(tagged)).isEqualTo(SCHEMA);
  }

  @Test
  void missingMetadataIsNamed() {
    assertThatThrownBy(() -> CommandHeader.fromSchema(SCHEMA))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_COMMAND))
        .hasMessageContaining("'command'");
  }

  @Test
  void unknownApiAndParamAreNamed() {
    String id = CommandIds.newId();
    Schema unknownApi =
        new Schema(
            SCHEMA.getFields(),
            Map.of("command", id, "api", "get_online_features", "param", "features"));
    Schema unknownParam =
        new Schema(
            SCHEMA.getFields(),
            Map.of("command", id, "api", "get_historical_features", "param", "entity_rows"));

    assertThatThrownBy(() -> CommandHeader.fromSchema(unknownApi))
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_API))
        .hasMessageContaining("get_online_features");
    assertThatThrownBy(() -> CommandHeader.fromSchema(unknownParam))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_PARAMETER))
        .hasMessageContaining("entity_rows");
  }

  @Test
  void commandIdsAreUuids() {
    String id = CommandIds.newId();
    assertThat(CommandIds.fromDescriptor(CommandIds.descriptor(id))).isEqualTo(id);
    assertThat(CommandIds.fromTicket(CommandIds.ticket(id))).isEqualTo(id);
    assertThatThrownBy(() -> CommandIds.check("command-1"))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_COMMAND))
        .hasMessageContaining("'command-1' is not a UUID");
    assertThatThrownBy(() -> CommandIds.fromDescriptor(FlightDescriptor.path("a", "b")))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining("not a path");
  }
}
