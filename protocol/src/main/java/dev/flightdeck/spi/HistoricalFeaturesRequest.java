package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Feast's {@code get_historical_features}: the entity rows (join keys, an {@code event_timestamp}
 * column, any other columns), the features wanted, and whether to name them {@code view__feature}.
 * The caller keeps ownership of {@code entityRows}.
 */
public record HistoricalFeaturesRequest(
    VectorSchemaRoot entityRows, FeatureSelection features, boolean fullFeatureNames) {
  public static final String EVENT_TIMESTAMP = "event_timestamp";

  public HistoricalFeaturesRequest {
    requireNonNull(entityRows, "entityRows is null");
    requireNonNull(features, "features is null");
  }

  public static HistoricalFeaturesRequest of(
      VectorSchemaRoot entityRows, List<String> featureReferences) {
    return new HistoricalFeaturesRequest(entityRows, FeatureSelection.of(featureReferences), false);
  }

  public HistoricalFeaturesRequest withFullFeatureNames(boolean fullFeatureNames) {
    return new HistoricalFeaturesRequest(entityRows, features, fullFeatureNames);
  }
}
