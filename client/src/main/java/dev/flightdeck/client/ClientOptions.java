package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallInfo;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;

/**
 * How a {@link RemoteOfflineStore} connects: TLS or not, the bearer token it sends ({@code
 * authorization: Bearer <token>}, as Feast's client does), and the rows per do_put batch.
 */
public record ClientOptions(
    Optional<TlsOptions> tls, Optional<String> bearerToken, int putBatchRows) {
  public ClientOptions {
    requireNonNull(tls, "tls is null");
    requireNonNull(bearerToken, "bearerToken is null");
    if (putBatchRows < 1) {
      throw new IllegalArgumentException("putBatchRows must be positive, got " + putBatchRows);
    }
    bearerToken.ifPresent(
        token -> {
          if (token.isBlank() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new IllegalArgumentException("a bearer token is printable ASCII without spaces");
          }
        });
  }

  public static ClientOptions defaults() {
    return new ClientOptions(
        Optional.empty(), Optional.empty(), RemoteOfflineStore.DEFAULT_PUT_BATCH_ROWS);
  }

  public ClientOptions withTls(TlsOptions tls) {
    return new ClientOptions(Optional.of(tls), bearerToken, putBatchRows);
  }

  public ClientOptions withBearerToken(String token) {
    return new ClientOptions(tls, Optional.of(token), putBatchRows);
  }

  public ClientOptions withPutBatchRows(int rows) {
    return new ClientOptions(tls, bearerToken, rows);
  }

  void applyTo(FlightClient.Builder builder) {
    tls.ifPresent(options -> options.applyTo(builder));
    bearerToken.ifPresent(token -> builder.intercept(new BearerHeader(token)));
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ClientOptions[tls="
        + tls
        + ", bearerToken="
        + (bearerToken.isPresent() ? "(set)" : "(none)")
        + ", putBatchRows="
        + putBatchRows
        + "]";
  }

  /** Adds the authorization header to every call. */
  private record BearerHeader(String token) implements FlightClientMiddleware.Factory {
    @Override
    public FlightClientMiddleware onCallStarted(CallInfo info) {
      return new FlightClientMiddleware() {
        @Override
        public void onBeforeSendingHeaders(CallHeaders outgoing) {
          outgoing.insert("authorization", "Bearer " + token);
        }

        @Override
        public void onHeadersReceived(CallHeaders incoming) {}

        @Override
        public void onCallCompleted(CallStatus status) {}
      };
    }

    @Override
    public String toString() {
      return "BearerHeader[(set)]";
    }
  }
}
