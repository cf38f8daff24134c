package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import java.util.Locale;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Checks {@code authorization: Bearer <token>}, the header Feast's client sends, against a token
 * file before the call reads or stores anything. The token is never logged or echoed.
 */
public final class BearerTokenAuthenticator implements CallHeaderAuthenticator {
  private static final String HEADER = "authorization";
  private static final String SCHEME = "bearer ";

  private final TokenFile tokens;

  public BearerTokenAuthenticator(TokenFile tokens) {
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  @Override
  public AuthResult authenticate(CallHeaders incoming) {
    String header = incoming.get(HEADER);
    if (header == null) {
      throw unauthenticated(
          "this server needs a bearer token: send 'authorization: Bearer <token>'");
    }
    if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      throw unauthenticated("the authorization header must be 'Bearer <token>'");
    }
    Principal principal =
        tokens
            .principalOf(header.substring(SCHEME.length()).strip())
            .orElseThrow(() -> unauthenticated("the bearer token is not one this server accepts"));
    return principal::name;
  }

  /** The principal a call authenticated as. */
  public Principal principal(String peerIdentity) {
    return tokens
        .principalNamed(peerIdentity)
        .orElseThrow(() -> new IllegalStateException("no principal " + peerIdentity));
  }

  private static RuntimeException unauthenticated(String message) {
    return FlightErrors.toFlight(new FlightdeckException(ErrorCode.UNAUTHENTICATED, message));
  }
}
