package dev.flightdeck.spi;

/**
 * Creates a backend's {@link OfflineStore}. Implementations are found with {@link
 * java.util.ServiceLoader} by {@link #getName()}, which {@code offline_store.type} names; each
 * builds its own wiring.
 */
public interface OfflineStoreFactory {
  String getName();

  /** Creates the store, validating the backend's own config keys and the repository's sources. */
  OfflineStore create(OfflineStoreContext context);
}
