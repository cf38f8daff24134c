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
 * it stands for. When no server answered at all, the error says which address was tried, and
 * whether a server's endpoint named it.
 */
final class RemoteCalls {
  private final Location server;
  private final boolean advertised;

  RemoteCalls(Location server) {
    this(server, false);
  }

  /**
   * @param advertised the location came from a server's endpoint (its {@code --advertise}), not
   *     from the caller
   */
  RemoteCalls(Location server, boolean advertised) {
    this.server = requireNonNull(server, "server is null");
    this.advertised = advertised;
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
      // gRPC's own words ("io exception", "unresolved address") do not say where it looked; an
      // advertised location a client cannot reach is the server's --advertise to fix.
      boolean tls = "grpc+tls".equals(server.getUri().getScheme());
      return new FlightdeckException(
          ErrorCode.SERVER_UNAVAILABLE,
          "no Flightdeck server answers at "
              + server.getUri().getHost()
              + ":"
              + server.getUri().getPort()
              + (tls ? " over TLS" : "")
              + (advertised ? ", the location a server's endpoint named" : "")
              + " ("
              + error.status().description()
              + (advertised
                  ? "); check that server's --advertise: clients must reach it there"
                  : tls
                      ? "); if it serves plain gRPC, connect without TLS; if its certificate is"
                          + " signed by a private CA, trust that CA"
                      : "); if it serves TLS, connect with TLS"),
          error);
    }
    return FlightErrors.fromFlight(error);
  }
}
