package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Feast's {@code get_historical_features}: the features wanted, whether to name them {@code
 * view__feature}, and either entity rows (join keys, an {@code event_timestamp} column, any other
 * columns) or, without entity rows, a time range: then every feature row of the requested views in
 * the range is an entity row. The caller keeps ownership of {@code entityRows}.
 *
 * @param entityRows the entity table, or null when {@code range} is given
 * @param range the bounded time range of an entity-less request; empty with entity rows
 */
public record HistoricalFeaturesRequest(
    VectorSchemaRoot entityRows,
    FeatureSelection features,
    boolean fullFeatureNames,
    Optional<TimeRange> range) {
  public static final String EVENT_TIMESTAMP = "event_timestamp";

  public HistoricalFeaturesRequest {
    requireNonNull(features, "features is null");
    requireNonNull(range, "range is null");
    if ((entityRows == null) == range.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "get_historical_features needs either an entity table or start_date and end_date,"
              + " not both and not neither");
    }
    range.ifPresent(r -> r.requireBounded("get_historical_features without entity_df"));
  }

  public HistoricalFeaturesRequest(
      VectorSchemaRoot entityRows, FeatureSelection features, boolean fullFeatureNames) {
    this(
        requireNonNull(entityRows, "entityRows is null"),
        features,
        fullFeatureNames,
        Optional.empty());
  }

  public static HistoricalFeaturesRequest of(
      VectorSchemaRoot entityRows, List<String> featureReferences) {
    return new HistoricalFeaturesRequest(entityRows, FeatureSelection.of(featureReferences), false);
  }

  /** Every feature row of the requested views with an event timestamp in [start, end]. */
  public static HistoricalFeaturesRequest forRange(
      List<String> featureReferences, Instant start, Instant end) {
    return new HistoricalFeaturesRequest(
        null,
        FeatureSelection.of(featureReferences),
        false,
        Optional.of(TimeRange.between(start, end)));
  }

  public boolean hasEntityRows() {
    return entityRows != null;
  }

  public HistoricalFeaturesRequest withFeatures(FeatureSelection features) {
    return new HistoricalFeaturesRequest(entityRows, features, fullFeatureNames, range);
  }

  public HistoricalFeaturesRequest withFullFeatureNames(boolean fullFeatureNames) {
    return new HistoricalFeaturesRequest(entityRows, features, fullFeatureNames, range);
  }
}
