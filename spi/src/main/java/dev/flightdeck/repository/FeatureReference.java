package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;

/** A reference {@code view:feature} to one feature, as users write it. */
public record FeatureReference(String view, String feature) {
  public FeatureReference {
    requireNonNull(view, "view is null");
    requireNonNull(feature, "feature is null");
  }

  public static FeatureReference parse(String reference) {
    if (reference == null) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_FEATURE_REFERENCE, "feature reference is null");
    }
    int colon = reference.indexOf(':');
    if (colon <= 0
        || colon == reference.length() - 1
        || reference.indexOf(':', colon + 1) >= 0
        || !reference.strip().equals(reference)) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_FEATURE_REFERENCE,
          "malformed feature reference '" + reference + "': expected 'feature_view:feature'");
    }
    return new FeatureReference(reference.substring(0, colon), reference.substring(colon + 1));
  }

  /** The column name used with {@code full_feature_names}: {@code view__feature}. */
  public String fullName() {
    return view + "__" + feature;
  }

  @Override
  public String toString() {
    return view + ":" + feature;
  }
}
