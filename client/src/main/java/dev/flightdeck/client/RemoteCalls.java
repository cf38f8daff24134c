package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;

/**
 * Runs Flight calls to one server and raises the server's error as the {@code FlightdeckException}
 * it stands for. When no server answered at all, the error says which address was tried.
 */
final class RemoteCalls {
  private final Location server;

  RemoteCalls(Location server) {
    this.server = requireNonNull(server, "server is null");
  }

  <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (FlightRuntimeException e) {
      throw translate(e);
    }
  }

  void run(Runnable call) {
    try {
      call.run();
    } catch (FlightRuntimeException e) {
      throw translate(e);
    }
  }

  private FlightdeckException translate(FlightRuntimeException error) {
    if (error.status().code() == FlightStatusCode.UNAVAILABLE && !FlightErrors.fromServer(error)) {
      // gRPC's own words ("io exception", "unresolved address") do not say where it looked.
      boolean tls = "grpc+tls".equals(server.getUri().getScheme());
      return new FlightdeckException(
          ErrorCode.SERVER_UNAVAILABLE,
          "no Flightdeck server answers at "
              + server.getUri().getHost()
              + ":"
              + server.getUri().getPort()
              + (tls ? " over TLS" : "")
              + " ("
              + error.status().description()
              + (tls
                  ? "); if it serves plain gRPC, connect without TLS; if its certificate is"
                      + " signed by a private CA, trust that CA"
                  : "); if it serves TLS, connect with TLS"),
          error);
    }
    return FlightErrors.fromFlight(error);
  }
}
