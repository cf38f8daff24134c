package dev.flightdeck.server.auth;

import java.util.Optional;

/**
 * Proves who makes a call from its {@link Credentials}. Runs before the call reads or stores
 * anything, once per call, on a gRPC thread: it must not block for long.
 */
public interface Authenticator {
  /**
   * The principal the credentials prove; empty when they hold no credential of this authenticator's
   * kind, so the next authenticator may try.
   *
   * @throws dev.flightdeck.error.FlightdeckException with {@code UNAUTHENTICATED} when they hold
   *     this authenticator's kind of credential and it is bad (expired, forged, unknown); the
   *     message reaches the client, so it must not hold the credential
   */
  Optional<Principal> authenticate(Credentials credentials);
}
