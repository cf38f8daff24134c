package dev.flightdeck.error;

/**
 * The class of a failure, independent of transport. The Flight boundary maps each kind to exactly
 * one Flight status code ({@code dev.flightdeck.protocol.FlightErrors}).
 */
public enum ErrorKind {
  /** The caller sent something malformed or inconsistent; retrying the same call fails again. */
  INVALID_ARGUMENT,
  /**
   * The caller named something that does not exist: a command, a feature view, a feature, a
   * service.
   */
  NOT_FOUND,
  /** The caller asked to create something that already exists. */
  ALREADY_EXISTS,
  /** The caller did not prove who they are (no or an unknown credential). */
  UNAUTHENTICATED,
  /** The caller is known but may not do this. */
  PERMISSION_DENIED,
  /** The call would take more than a configured limit allows. */
  RESOURCE_EXHAUSTED,
  /** The server is shutting down or overloaded; the same call may work later. */
  UNAVAILABLE,
  /** A failure inside the server or its backend; the details are in the server's log. */
  INTERNAL
}
