package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.List;
import java.util.Optional;

/**
 * A named, versionable list of features a model consumes.
 *
 * @param loggingDestination where {@code write_logged_features} appends this service's logs, in the
 *     backend's terms (a folder inside the repository for Parquet, a table for JDBC)
 */
public record FeatureService(
    String name, List<FeatureReference> features, Optional<String> loggingDestination) {
  public FeatureService(String name, List<FeatureReference> features) {
    this(name, features, Optional.empty());
  }

  public FeatureService {
    checkName(name, "feature service name");
    features = List.copyOf(features);
    requireNonNull(loggingDestination, "loggingDestination is null");
    if (features.isEmpty()) {
      throw Names.invalid("feature service '" + name + "' lists no features");
    }
  }

  /** Where logs go, or NOT_CONFIGURED saying how to configure it: every backend refuses alike. */
  public String requireLoggingDestination() {
    return loggingDestination.orElseThrow(
        () ->
            new FlightdeckException(
                ErrorCode.NOT_CONFIGURED,
                "feature service '"
                    + name
                    + "' has no logging destination; set logging: {destination: ...}"
                    + " for it in feature_store.yaml"));
  }
}
