package dev.flightdeck.spi;

import dev.flightdeck.error.FlightdeckException;

/**
 * Creates a backend's {@link OfflineStore}. Implementations are found with {@link
 * java.util.ServiceLoader} by {@link #getName()}, which {@code offline_store.type} names; each
 * builds its own wiring.
 */
public interface OfflineStoreFactory {
  String getName();

  /** Creates the store, validating the backend's own config keys and the repository's sources. */
  OfflineStore create(OfflineStoreContext context);

  /**
   * The error a caller should see when wiring a store failed: the {@link FlightdeckException} (with
   * its code and message) that a dependency-injection framework wrapped, or the failure itself when
   * there is none. Guice, for one, wraps what providers throw in its own exceptions.
   */
  static RuntimeException unwrapCreation(RuntimeException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof FlightdeckException flightdeck) {
        return flightdeck;
      }
      for (Throwable suppressed : cause.getSuppressed()) {
        if (suppressed instanceof FlightdeckException flightdeck) {
          return flightdeck;
        }
      }
    }
    return failure;
  }
}
