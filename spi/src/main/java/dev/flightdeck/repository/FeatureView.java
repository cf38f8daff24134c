package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A group of features read from one source and keyed by its entities. A {@code ttl} of zero means
 * no limit: any earlier row may answer.
 */
public record FeatureView(
    String name, List<String> entities, Duration ttl, String source, List<Feature> features) {
  public FeatureView {
    checkName(name, "feature view name");
    entities = List.copyOf(entities);
    requireNonNull(ttl, "ttl is null");
    if (ttl.isNegative()) {
      throw Names.invalid("feature view '" + name + "' has a negative ttl " + ttl);
    }
    requireNonNull(source, "source is null");
    features = List.copyOf(features);
    if (features.isEmpty()) {
      throw Names.invalid("feature view '" + name + "' declares no features in its schema");
    }
    Set<String> seen = new HashSet<>();
    for (Feature feature : features) {
      if (!seen.add(feature.name())) {
        throw Names.invalid(
            "feature view '" + name + "' declares feature '" + feature.name() + "' twice");
      }
    }
  }

  public boolean hasTtl() {
    return !ttl.isZero();
  }

  public Optional<Feature> findFeature(String featureName) {
    return features.stream().filter(feature -> feature.name().equals(featureName)).findFirst();
  }

  public Feature feature(String featureName) {
    return findFeature(featureName)
        .orElseThrow(
            () ->
                new FlightdeckException(
                    ErrorCode.UNKNOWN_FEATURE,
                    "unknown feature '"
                        + featureName
                        + "' in feature view '"
                        + name
                        + "' (known: "
                        + features.stream().map(Feature::name).collect(Collectors.joining(", "))
                        + ")"));
  }
}
