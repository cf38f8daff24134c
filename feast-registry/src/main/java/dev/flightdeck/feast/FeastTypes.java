package dev.flightdeck.feast;

import dev.flightdeck.feast.proto.types.ValueProto.ValueType;
import java.util.Optional;

/**
 * Feast's value types as Flightdeck serves them: the scalars, and their {@code *_LIST} forms as
 * lists ({@code FLOAT_LIST} is {@code Array(Float32)}); everything else is refused.
 */
final class FeastTypes {
  private FeastTypes() {}

  /** The Flightdeck type of a Feast type, or empty when Flightdeck does not serve the type. */
  static Optional<dev.flightdeck.repository.ValueType> of(ValueType.Enum type) {
    return Optional.ofNullable(
        switch (type) {
          case INT32 -> dev.flightdeck.repository.ValueType.INT32;
          case INT64 -> dev.flightdeck.repository.ValueType.INT64;
          case FLOAT -> dev.flightdeck.repository.ValueType.FLOAT32;
          case DOUBLE -> dev.flightdeck.repository.ValueType.FLOAT64;
          case STRING -> dev.flightdeck.repository.ValueType.STRING;
          case BYTES -> dev.flightdeck.repository.ValueType.BYTES;
          case BOOL -> dev.flightdeck.repository.ValueType.BOOL;
          case UNIX_TIMESTAMP -> dev.flightdeck.repository.ValueType.TIMESTAMP;
          case INT32_LIST -> list(ValueType.Enum.INT32);
          case INT64_LIST -> list(ValueType.Enum.INT64);
          case FLOAT_LIST -> list(ValueType.Enum.FLOAT);
          case DOUBLE_LIST -> list(ValueType.Enum.DOUBLE);
          case STRING_LIST -> list(ValueType.Enum.STRING);
          case BYTES_LIST -> list(ValueType.Enum.BYTES);
          case BOOL_LIST -> list(ValueType.Enum.BOOL);
          case UNIX_TIMESTAMP_LIST -> list(ValueType.Enum.UNIX_TIMESTAMP);
          default -> null;
        });
  }

  private static dev.flightdeck.repository.ValueType list(ValueType.Enum element) {
    return dev.flightdeck.repository.ValueType.listOf(of(element).orElseThrow());
  }

  /** Why a feature of {@code type} is not served, as a clause after "it". */
  static String refusal(ValueType.Enum type) {
    return "is of Feast type "
        + type.name()
        + ", which Flightdeck does not serve (it serves "
        + served()
        + ")";
  }

  private static String served() {
    StringBuilder names = new StringBuilder();
    for (ValueType.Enum type : ValueType.Enum.values()) {
      if (type != ValueType.Enum.UNRECOGNIZED && of(type).isPresent()) {
        names.append(names.length() == 0 ? "" : ", ").append(type.name());
      }
    }
    return names.toString();
  }
}
