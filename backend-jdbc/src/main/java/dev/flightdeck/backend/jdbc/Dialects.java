package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Function;

/**
 * The dialects a store can choose from: those added as {@link DialectFactory} services, then the
 * built-in PostgreSQL, DuckDB and H2 ones; a URL none accepts gets standard SQL ({@code ansi}).
 */
public final class Dialects {
  private static final List<DialectFactory> BUILT_IN =
      List.of(
          new BuiltIn("postgresql", "jdbc:postgresql:", url -> new PostgresDialect()),
          new BuiltIn("duckdb", "jdbc:duckdb:", Dialects::duckDb),
          new BuiltIn("h2", "jdbc:h2:", url -> new H2Dialect()));

  private final List<DialectFactory> added;

  private Dialects(List<DialectFactory> added) {
    this.added = List.copyOf(added);
    Map<String, DialectFactory> byName = new LinkedHashMap<>();
    for (DialectFactory factory : this.added) {
      DialectFactory other = byName.put(factory.name(), factory);
      if (other != null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_CONFIGURATION,
            "two jdbc dialects are named '"
                + factory.name()
                + "': "
                + other.getClass().getName()
                + " and "
                + factory.getClass().getName());
      }
    }
  }

  /** The built-in dialects and those the class path adds as services. */
  public static Dialects load() {
    List<DialectFactory> found = new ArrayList<>();
    ServiceLoader.load(DialectFactory.class, Dialects.class.getClassLoader()).forEach(found::add);
    return new Dialects(found);
  }

  /** The built-in dialects and {@code added}, for embedders that wire dialects themselves. */
  public static Dialects of(List<DialectFactory> added) {
    return new Dialects(requireNonNull(added, "added is null"));
  }

  /** The factory for {@code url}: an added one, a built-in one, or standard SQL. */
  public DialectFactory forUrl(String url) {
    List<DialectFactory> accepting =
        added.stream().filter(factory -> factory.accepts(url)).toList();
    if (accepting.size() > 1) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "jdbc dialects "
              + accepting.stream().map(DialectFactory::name).toList()
              + " all accept the offline_store url; remove all but one from the class path");
    }
    if (accepting.size() == 1) {
      return accepting.get(0);
    }
    return BUILT_IN.stream()
        .filter(factory -> factory.accepts(url))
        .findFirst()
        .orElse(new BuiltIn("ansi", "", any -> new AnsiDialect()));
  }

  /** The dialect for {@code url} with no settings of its own: for tools and tests. */
  public Dialect create(String url) {
    return forUrl(url).create(url, Map.of());
  }

  private static Dialect duckDb(String url) {
    if (url.equals("jdbc:duckdb:") || url.equals("jdbc:duckdb::memory:")) {
      // Each pooled connection would open its own empty database.
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "offline_store.url '"
              + url
              + "' is a private in-memory DuckDB per connection; use a database file or a"
              + " named one: jdbc:duckdb:memory:<name>");
    }
    return new DuckDbDialect();
  }

  /** A dialect of this module, chosen by its URL prefix, with no settings. */
  private record BuiltIn(String name, String prefix, Function<String, Dialect> make)
      implements DialectFactory {
    @Override
    public boolean accepts(String url) {
      return url.startsWith(prefix);
    }

    @Override
    public Set<String> configKeys() {
      return Set.of();
    }

    @Override
    public Dialect create(String url, Map<String, String> settings) {
      return make.apply(url);
    }
  }
}
