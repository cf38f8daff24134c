package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureReference;
import java.util.List;

/** What features a retrieval asks for: a list of references, or a feature service by name. */
public sealed interface FeatureSelection {
  static FeatureSelection of(List<String> references) {
    return new References(references.stream().map(FeatureReference::parse).toList());
  }

  static FeatureSelection service(String name) {
    return new Service(name);
  }

  record References(List<FeatureReference> references) implements FeatureSelection {
    public References {
      references = List.copyOf(references);
      if (references.isEmpty()) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER, "no features requested: give at least one 'view:feature'");
      }
    }
  }

  record Service(String name) implements FeatureSelection {
    public Service {
      requireNonNull(name, "name is null");
      if (name.isBlank()) {
        throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "feature service name is empty");
      }
    }
  }
}
