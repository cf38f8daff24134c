package dev.flightdeck.client;

import dev.flightdeck.protocol.FlightErrors;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightRuntimeException;

/**
 * Runs a Flight call and raises the server's error as the {@code FlightdeckException} it stands
 * for.
 */
final class RemoteCalls {
  private RemoteCalls() {}

  static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (FlightRuntimeException e) {
      throw FlightErrors.fromFlight(e);
    }
  }

  static void run(Runnable call) {
    try {
      call.run();
    } catch (FlightRuntimeException e) {
      throw FlightErrors.fromFlight(e);
    }
  }
}
