package dev.flightdeck.retrieval;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureView;
import java.util.List;

/**
 * The part of a retrieval that reads one feature view: its source, join keys and requested
 * features.
 */
public record ViewRequest(
    FeatureView view, DataSource source, List<String> joinKeys, List<ResolvedFeature> features) {
  public ViewRequest {
    requireNonNull(view, "view is null");
    requireNonNull(source, "source is null");
    joinKeys = List.copyOf(joinKeys);
    features = List.copyOf(features);
  }
}
