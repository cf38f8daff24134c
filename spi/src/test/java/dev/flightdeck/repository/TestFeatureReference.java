package dev.flightdeck.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestFeatureReference {
  @Test
  void parsesViewAndFeature() {
    FeatureReference reference = FeatureReference.parse("driver_hourly_stats:conv_rate");

    assertThat(reference).isEqualTo(new FeatureReference("driver_hourly_stats", "conv_rate"));
    assertThat(reference.fullName()).isEqualTo("driver_hourly_stats__conv_rate");
    assertThat(reference.toString()).isEqualTo("driver_hourly_stats:conv_rate");
  }

  @ParameterizedTest
  @ValueSource(strings = {"conv_rate", ":conv_rate", "view:", "a:b:c", " view:x", ""})
  void refusesMalformed(String reference) {
    assertThatThrownBy(() -> FeatureReference.parse(reference))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FEATURE_REFERENCE))
        .hasMessageContaining("'" + reference + "'");
  }
}
