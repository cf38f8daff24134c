package dev.flightdeck.backend.jdbc;

import java.util.Map;
import java.util.Set;

/**
 * Adds a database to the {@code jdbc} backend without touching its internals: a jar with an
 * implementation listed in {@code META-INF/services/dev.flightdeck.backend.jdbc.DialectFactory} is
 * found by {@link java.util.ServiceLoader}, as backends are, and chosen for the URLs it accepts. A
 * dialect found this way wins over a built-in one for the same URLs.
 */
public interface DialectFactory {
  /** A short name, for logs and messages. */
  String name();

  /** Whether this dialect serves {@code url} (typically by its {@code jdbc:<driver>:} prefix). */
  boolean accepts(String url);

  /**
   * The {@code offline_store} keys this dialect reads, beside the backend's own; any other key is
   * refused, naming both lists.
   */
  default Set<String> configKeys() {
    return Set.of();
  }

  /**
   * The dialect for one store.
   *
   * @param url the store's JDBC URL, which {@link #accepts}
   * @param settings the values of this dialect's {@link #configKeys} that the repository sets, with
   *     {@code ${NAME}} expanded
   * @throws dev.flightdeck.error.FlightdeckException INVALID_CONFIGURATION naming a bad value
   */
  Dialect create(String url, Map<String, String> settings);
}
