package dev.flightdeck.feast;

import dev.flightdeck.feast.proto.types.ValueProto.ValueType;
import java.util.Optional;

/** Feast's value types as Flightdeck serves them: the scalars; everything else is refused. */
final class FeastTypes {
  private FeastTypes() {}

  /** The Flightdeck type of a Feast scalar, or empty when Flightdeck does not serve the type. */
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
          default -> null;
        });
  }

  /** Why a feature of {@code type} is not served, as a clause after "it". */
  static String refusal(ValueType.Enum type) {
    if (type.name().endsWith("_LIST")) {
      return "is " + type.name() + ": list feature types are not supported yet";
    }
    return "is of Feast type "
        + type.name()
        + ", which Flightdeck does not serve (it serves "
        + scalars()
        + ")";
  }

  private static String scalars() {
    StringBuilder names = new StringBuilder();
    for (ValueType.Enum type : ValueType.Enum.values()) {
      if (type != ValueType.Enum.UNRECOGNIZED && of(type).isPresent()) {
        names.append(names.length() == 0 ? "" : ", ").append(type.name());
      }
    }
    return names.toString();
  }
}
