package dev.flightdeck.server.auth;

import java.util.Map;

/**
 * Makes an {@link Authenticator} of one type from its settings. Found with {@link
 * java.util.ServiceLoader}, as backends are: list the implementation in {@code
 * META-INF/services/dev.flightdeck.server.auth.AuthenticatorFactory}.
 */
public interface AuthenticatorFactory {
  /** The name operators use: {@code serve --auth TYPE:key=value,...}. */
  String type();

  /**
   * An authenticator for {@code settings}; unknown or missing settings are refused with {@code
   * INVALID_CONFIGURATION} naming them.
   */
  Authenticator create(Map<String, String> settings);
}
