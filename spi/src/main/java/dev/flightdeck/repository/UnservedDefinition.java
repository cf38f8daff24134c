package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;

/**
 * Something a repository defines that Flightdeck cannot serve, such as a Feast on-demand feature
 * view (a Python transformation) or a feature of a type Flightdeck does not serve (a Feast map).
 * The repository keeps it so that {@code describe} lists it and a request that names it is refused
 * with {@link #reason}, while everything else in the repository is served.
 *
 * @param name the definition's name; for a {@link Kind#FEATURE}, its reference {@code view:feature}
 * @param reason why it is not served, as a clause: "is an on-demand feature view, ..."
 */
public record UnservedDefinition(Kind kind, String name, String reason) {
  public enum Kind {
    FEATURE_VIEW("feature view"),
    FEATURE("feature"),
    FEATURE_SERVICE("feature service"),
    DATA_SOURCE("data source");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** How messages name the kind: "feature view". */
    public String label() {
      return label;
    }
  }

  public UnservedDefinition {
    requireNonNull(kind, "kind is null");
    requireNonNull(name, "name is null");
    requireNonNull(reason, "reason is null");
  }

  /** The error a request naming this definition gets. */
  public FlightdeckException refusal() {
    return new FlightdeckException(
        ErrorCode.UNSUPPORTED_DEFINITION,
        kind.label() + " '" + name + "' cannot be served: it " + reason);
  }
}
