package dev.flightdeck.backend.jdbc.trino;

import dev.flightdeck.backend.jdbc.Dialect;
import dev.flightdeck.backend.jdbc.DialectFactory;
import java.util.Map;
import java.util.Set;

/** The Trino dialect, for {@code jdbc:trino:} URLs. */
public final class TrinoDialectFactory implements DialectFactory {
  @Override
  public String name() {
    return "trino";
  }

  @Override
  public boolean accepts(String url) {
    return url.startsWith("jdbc:trino:");
  }

  @Override
  public Set<String> configKeys() {
    return TrinoSettings.KEYS;
  }

  @Override
  public Dialect create(String url, Map<String, String> settings) {
    return new TrinoDialect(TrinoSettings.from(settings));
  }
}
