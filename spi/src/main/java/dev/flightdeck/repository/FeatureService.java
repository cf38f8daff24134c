package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A named, versionable list of features a model consumes.
 *
 * @param loggingDestination where {@code write_logged_features} appends this service's logs, in the
 *     backend's terms (a folder inside the repository for Parquet, a table for JDBC)
 * @param viewAliases the name the service gives some of its views (Feast's {@code name_alias}):
 *     with full feature names, a feature of view {@code v} is served as {@code alias__feature}
 */
public record FeatureService(
    String name,
    List<FeatureReference> features,
    Optional<String> loggingDestination,
    Map<String, String> viewAliases) {
  public FeatureService(String name, List<FeatureReference> features) {
    this(name, features, Optional.empty());
  }

  public FeatureService(
      String name, List<FeatureReference> features, Optional<String> loggingDestination) {
    this(name, features, loggingDestination, Map.of());
  }

  public FeatureService {
    checkName(name, "feature service name");
    features = List.copyOf(features);
    requireNonNull(loggingDestination, "loggingDestination is null");
    viewAliases = Map.copyOf(viewAliases);
    if (features.isEmpty()) {
      throw Names.invalid("feature service '" + name + "' lists no features");
    }
    for (Map.Entry<String, String> alias : viewAliases.entrySet()) {
      checkName(
          alias.getValue(), "alias of view '" + alias.getKey() + "' in service '" + name + "'");
      if (features.stream().noneMatch(feature -> feature.view().equals(alias.getKey()))) {
        throw Names.invalid(
            "feature service '"
                + name
                + "' aliases view '"
                + alias.getKey()
                + "', which it does not use");
      }
    }
  }

  /**
   * The column a feature of this service is served under with full feature names: {@code
   * view__feature}, or {@code alias__feature} when the service aliases the view.
   */
  public String fullName(FeatureReference reference) {
    return viewAliases.getOrDefault(reference.view(), reference.view())
        + "__"
        + reference.feature();
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
