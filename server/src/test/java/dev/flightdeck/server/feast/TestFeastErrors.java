package dev.flightdeck.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import java.util.Set;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;

class TestFeastErrors {
  /** Classes of {@code feast.errors} in every Feast from 0.41 (the first that parses errors). */
  private static final Set<String> FEAST_CLASSES =
      Set.of(
          "FeastError",
          "FeastObjectNotFoundException",
          "FeatureNameCollisionError",
          "FeastEntityDFMissingColumnsError",
          "FeatureViewNotFoundException",
          "FeatureServiceNotFoundException",
          "DataSourceObjectNotFoundException",
          "DataSourceNotFoundException",
          "SavedDatasetLocationAlreadyExists",
          "FeastOfflineStoreUnsupportedDataSource",
          "FeastPermissionError");

  @Test
  void everyCodeHasARealFeastClass() {
    for (ErrorCode code : ErrorCode.values()) {
      assertThat(FEAST_CLASSES).as("%s", code).contains(FeastErrors.feastClass(code));
    }
  }

  @Test
  void aRefusalBecomesUnknownWithFeastsErrorDetail() {
    FlightRuntimeException feast =
        FeastErrors.toFeast(
            FlightErrors.toFlight(
                new FlightdeckException(
                    ErrorCode.UNKNOWN_FEATURE_VIEW, "unknown feature view 'x' (known: a, b)")));
    assertThat(feast.status().code()).isEqualTo(FlightStatusCode.UNKNOWN);
    assertThat(feast.status().description())
        .isEqualTo(
            "Flight error: {\"module\": \"feast.errors\", \"class\":"
                + " \"FeatureViewNotFoundException\", \"message\": \"unknown feature view 'x'"
                + " (known: a, b)\"}");
    assertThat(feast.status().metadata().get(FlightErrors.ERROR_CODE_KEY))
        .isEqualTo("UNKNOWN_FEATURE_VIEW");
  }

  @Test
  void unavailableStaysRetryableAndTransportStatusesPassThrough() {
    assertThat(
            FeastErrors.toFeast(
                    FlightErrors.toFlight(
                        new FlightdeckException(ErrorCode.SERVER_UNAVAILABLE, "shutting down")))
                .status()
                .code())
        .isEqualTo(FlightStatusCode.UNAVAILABLE);
    FlightRuntimeException cancelled = CallStatus.CANCELLED.toRuntimeException();
    assertThat(FeastErrors.toFeast(cancelled)).isSameAs(cancelled);
  }
}
