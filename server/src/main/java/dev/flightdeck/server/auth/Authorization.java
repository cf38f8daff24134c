package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.arrow.flight.FlightProducer.CallContext;

/**
 * Who a call is and what they may do: {@code read} covers retrieval, pulls, describe, columns and
 * validation; {@code write} covers offline_write_batch, write_logged_features and persist. Without
 * authentication every caller is {@link Principal#ANONYMOUS}, which holds both.
 */
public final class Authorization {
  private final Optional<BearerTokenAuthenticator> authenticator;

  public Authorization(Optional<BearerTokenAuthenticator> authenticator) {
    this.authenticator = requireNonNull(authenticator, "authenticator is null");
  }

  public static Authorization open() {
    return new Authorization(Optional.empty());
  }

  public Principal principal(CallContext context) {
    return authenticator
        .map(auth -> auth.principal(context.peerIdentity()))
        .orElse(Principal.ANONYMOUS);
  }

  /** Fails with PERMISSION_DENIED unless the call's principal holds {@code role}. */
  public Principal require(CallContext context, Role role, String action) {
    Principal principal = principal(context);
    if (!principal.may(role)) {
      TreeSet<String> held = new TreeSet<>();
      principal.roles().forEach(r -> held.add(r.yamlName()));
      throw new FlightdeckException(
          ErrorCode.PERMISSION_DENIED,
          "principal '"
              + principal.name()
              + "' may not "
              + action
              + ": that needs role '"
              + role.yamlName()
              + "', and it holds "
              + held);
    }
    return principal;
  }

  /** The role an API needs. */
  public static Role roleOf(Api api) {
    return switch (api) {
      case OFFLINE_WRITE_BATCH, WRITE_LOGGED_FEATURES -> Role.WRITE;
      default -> Role.READ;
    };
  }
}
