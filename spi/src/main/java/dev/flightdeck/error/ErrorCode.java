package dev.flightdeck.error;

import static java.util.Objects.requireNonNull;

/**
 * Every error Flightdeck reports, with its kind. Codes travel over the wire by name (metadata key
 * {@code flightdeck-error-code}) so that a remote client raises the same code as a local store.
 * Names are part of the wire contract: add codes, never rename them.
 */
public enum ErrorCode {
  // Protocol: a call that cannot be parsed.
  MALFORMED_COMMAND(ErrorKind.INVALID_ARGUMENT),
  UNKNOWN_API(ErrorKind.INVALID_ARGUMENT),
  UNKNOWN_PARAMETER(ErrorKind.INVALID_ARGUMENT),
  DUPLICATE_PARAMETER(ErrorKind.INVALID_ARGUMENT),
  MISSING_PARAMETER(ErrorKind.INVALID_ARGUMENT),
  INVALID_PARAMETER(ErrorKind.INVALID_ARGUMENT),
  UNKNOWN_COMMAND(ErrorKind.NOT_FOUND),

  // Requests: well-formed calls that ask for something impossible.
  MALFORMED_FEATURE_REFERENCE(ErrorKind.INVALID_ARGUMENT),
  NAME_COLLISION(ErrorKind.INVALID_ARGUMENT),
  INVALID_ENTITY_TABLE(ErrorKind.INVALID_ARGUMENT),
  UNKNOWN_FEATURE_VIEW(ErrorKind.NOT_FOUND),
  UNKNOWN_FEATURE(ErrorKind.NOT_FOUND),
  UNKNOWN_FEATURE_SERVICE(ErrorKind.NOT_FOUND),
  UNKNOWN_DATA_SOURCE(ErrorKind.NOT_FOUND),
  /** A column named in a request that the data source does not have. */
  UNKNOWN_COLUMN(ErrorKind.INVALID_ARGUMENT),
  /** A table to write whose columns do not match its destination's. */
  SCHEMA_MISMATCH(ErrorKind.INVALID_ARGUMENT),
  /** A persist destination that exists, without allow_overwrite. */
  DESTINATION_EXISTS(ErrorKind.ALREADY_EXISTS),
  /**
   * A call that needs repository configuration that is absent (a logging destination, an output
   * folder).
   */
  NOT_CONFIGURED(ErrorKind.INVALID_ARGUMENT),
  /** A data source that cannot be read as declared (missing files, columns or types). */
  INVALID_DATA_SOURCE(ErrorKind.INVALID_ARGUMENT),
  /**
   * A definition the repository has but Flightdeck cannot serve (a Feast on-demand or stream view,
   * a feature of a type such as a map; a list feature on the jdbc backend): listed by {@code
   * describe}, refused by name when requested.
   */
  UNSUPPORTED_DEFINITION(ErrorKind.INVALID_ARGUMENT),

  // Configuration: the repository or the server's settings are wrong.
  INVALID_REPOSITORY(ErrorKind.INVALID_ARGUMENT),
  INVALID_CONFIGURATION(ErrorKind.INVALID_ARGUMENT),
  UNKNOWN_BACKEND(ErrorKind.NOT_FOUND),

  // Identity: who the caller is and what they may do.
  UNAUTHENTICATED(ErrorKind.UNAUTHENTICATED),
  PERMISSION_DENIED(ErrorKind.PERMISSION_DENIED),

  // Limits: the call asks for more than the server allows one client.
  LIMIT_EXCEEDED(ErrorKind.RESOURCE_EXHAUSTED),

  // Operation: the server could not finish a valid call.
  SERVER_UNAVAILABLE(ErrorKind.UNAVAILABLE),
  BACKEND_FAILURE(ErrorKind.INTERNAL),
  INTERNAL_ERROR(ErrorKind.INTERNAL);

  private final ErrorKind kind;

  ErrorCode(ErrorKind kind) {
    this.kind = requireNonNull(kind, "kind is null");
  }

  public ErrorKind kind() {
    return kind;
  }
}
