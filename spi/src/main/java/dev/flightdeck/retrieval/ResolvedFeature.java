package dev.flightdeck.retrieval;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureReference;
import org.apache.arrow.vector.types.pojo.Field;

/** A requested feature, checked against the repository, with the column name it is served under. */
public record ResolvedFeature(FeatureReference reference, Feature feature, String outputName) {
  public ResolvedFeature {
    requireNonNull(reference, "reference is null");
    requireNonNull(feature, "feature is null");
    requireNonNull(outputName, "outputName is null");
  }

  public Field outputField() {
    return feature.type().field(outputName);
  }
}
