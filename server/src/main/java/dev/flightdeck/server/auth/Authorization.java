package dev.flightdeck.server.auth;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import java.util.TreeSet;

/**
 * Who a call is and what they may do: {@code read} covers retrieval, pulls, describe, columns and
 * validation; {@code write} covers offline_write_batch, write_logged_features and persist. Without
 * authentication every caller is {@link Principal#ANONYMOUS}, which holds both.
 */
public final class Authorization {
  private final boolean authenticated;

  /**
   * @param authenticated whether calls pass through an {@link AuthenticationInterceptor}, whose
   *     outcome then decides; otherwise every call is anonymous
   */
  public Authorization(boolean authenticated) {
    this.authenticated = authenticated;
  }

  public static Authorization open() {
    return new Authorization(false);
  }

  /** The current call's principal; UNAUTHENTICATED if its credential was refused. */
  public Principal principal() {
    if (!authenticated) {
      return Principal.ANONYMOUS;
    }
    AuthenticationInterceptor.Outcome outcome =
        AuthenticationInterceptor.current()
            .orElseThrow(() -> new IllegalStateException("call did not pass authentication"));
    if (outcome.failure().isPresent()) {
      throw outcome.failure().get();
    }
    return outcome.principal().orElseThrow();
  }

  /** Fails with PERMISSION_DENIED unless the call's principal holds {@code role}. */
  public Principal require(Role role, String action) {
    Principal principal = principal();
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
