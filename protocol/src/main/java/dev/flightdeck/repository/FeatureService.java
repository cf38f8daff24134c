package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;

import java.util.List;

/** A named, versionable list of features a model consumes. */
public record FeatureService(String name, List<FeatureReference> features) {
  public FeatureService {
    checkName(name, "feature service name");
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw Names.invalid("feature service '" + name + "' lists no features");
    }
  }
}
