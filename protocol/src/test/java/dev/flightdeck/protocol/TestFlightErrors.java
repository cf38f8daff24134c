package dev.flightdeck.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.ErrorKind;
import dev.flightdeck.error.FlightdeckException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TestFlightErrors {
  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyCodeRoundTrips(ErrorCode code) {
    FlightRuntimeException flight =
        FlightErrors.toFlight(new FlightdeckException(code, "bad 'thing'"));

    // Flight names gRPC's PERMISSION_DENIED "UNAUTHORIZED"; every other kind has Flight's name.
    String expected =
        code.kind() == ErrorKind.PERMISSION_DENIED ? "UNAUTHORIZED" : code.kind().name();
    assertThat(flight.status().code().name()).isEqualTo(expected);
    FlightdeckException back = FlightErrors.fromFlight(flight);
    assertThat(back.code()).isEqualTo(code);
    assertThat(back.getMessage()).isEqualTo("bad 'thing'");
  }

  @Test
  void statusWithoutCodeFallsBackOnTheStatus() {
    FlightdeckException error =
        FlightErrors.fromFlight(CallStatus.NOT_FOUND.withDescription("gone").toRuntimeException());

    assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_COMMAND);
    assertThat(error.getMessage()).isEqualTo("gone");
  }

  @Test
  void kindsMapToFlightCodes() {
    assertThat(
            FlightErrors.toFlight(new FlightdeckException(ErrorCode.BACKEND_FAILURE, "x"))
                .status()
                .code())
        .isEqualTo(FlightStatusCode.INTERNAL);
    assertThat(
            FlightErrors.toFlight(new FlightdeckException(ErrorCode.UNKNOWN_FEATURE, "x"))
                .status()
                .code())
        .isEqualTo(FlightStatusCode.NOT_FOUND);
    assertThat(
            FlightErrors.toFlight(new FlightdeckException(ErrorCode.NAME_COLLISION, "x"))
                .status()
                .code())
        .isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
  }
}
