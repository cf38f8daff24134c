package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDBC backend's keys from {@code offline_store}; unknown keys are refused. A value written
 * {@code ${NAME}} is read from the environment, so secrets stay out of the repository; {@code
 * ${REPOSITORY_DIR}} is the repository folder, for database files kept beside it.
 *
 * @param poolSize connections kept open at most
 * @param fetchSize rows the driver fetches per round trip
 * @param batchSize rows per Arrow batch of a result
 * @param statementTimeout how long one statement may run
 * @param dialectSettings the dialect's own keys, expanded (see {@link DialectFactory#configKeys})
 */
public record JdbcBackendConfig(
    String url,
    Optional<String> user,
    Optional<String> password,
    int poolSize,
    int fetchSize,
    int batchSize,
    Duration statementTimeout,
    Map<String, String> dialectSettings) {
  public static final String REPOSITORY_DIR = "REPOSITORY_DIR";
  public static final String URL = "url";
  public static final String USER = "user";
  public static final String PASSWORD = "password";
  public static final String POOL_SIZE = "pool_size";
  public static final String FETCH_SIZE = "fetch_size";
  public static final String BATCH_SIZE = "batch_size";
  public static final String STATEMENT_TIMEOUT = "statement_timeout";
  private static final Set<String> KNOWN_KEYS =
      Set.of(URL, USER, PASSWORD, POOL_SIZE, FETCH_SIZE, BATCH_SIZE, STATEMENT_TIMEOUT);
  private static final Pattern ENVIRONMENT = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  public JdbcBackendConfig {
    requireNonNull(url, "url is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(statementTimeout, "statementTimeout is null");
    dialectSettings = Map.copyOf(dialectSettings);
    positive(POOL_SIZE, poolSize);
    positive(FETCH_SIZE, fetchSize);
    positive(BATCH_SIZE, batchSize);
    if (statementTimeout.isNegative() || statementTimeout.isZero()) {
      throw invalid(STATEMENT_TIMEOUT + " must be positive, not " + statementTimeout);
    }
  }

  /** Reads the keys, expanding {@code ${NAME}} with {@code environment}; no dialect keys. */
  public static JdbcBackendConfig from(
      Map<String, String> properties, UnaryOperator<String> environment) {
    return from(properties, environment, Dialects.of(List.of()));
  }

  /**
   * Reads the keys, expanding {@code ${NAME}} with {@code environment}; the keys of the dialect
   * {@code dialects} choose for the URL are accepted too.
   */
  public static JdbcBackendConfig from(
      Map<String, String> properties, UnaryOperator<String> environment, Dialects dialects) {
    String url = value(properties, URL, environment);
    if (url == null) {
      throw invalid("offline_store." + URL + " is required for type 'jdbc'");
    }
    DialectFactory dialect = dialects.forUrl(url);
    Set<String> unknown = new TreeSet<>(properties.keySet());
    unknown.removeAll(KNOWN_KEYS);
    unknown.removeAll(dialect.configKeys());
    if (!unknown.isEmpty()) {
      Set<String> known = new TreeSet<>(KNOWN_KEYS);
      String dialectKeys =
          dialect.configKeys().isEmpty()
              ? ""
              : "; dialect '"
                  + dialect.name()
                  + "': "
                  + String.join(", ", new TreeSet<>(dialect.configKeys()));
      throw invalid(
          "unknown offline_store keys for type 'jdbc': "
              + String.join(", ", unknown)
              + " (known: "
              + String.join(", ", known)
              + dialectKeys
              + ")");
    }
    Map<String, String> dialectSettings = new HashMap<>();
    for (String key : dialect.configKeys()) {
      String setting = value(properties, key, environment);
      if (setting != null) {
        dialectSettings.put(key, setting);
      }
    }
    return new JdbcBackendConfig(
        url,
        Optional.ofNullable(value(properties, USER, environment)),
        Optional.ofNullable(value(properties, PASSWORD, environment)),
        integer(properties, POOL_SIZE, 4, environment),
        integer(properties, FETCH_SIZE, 10_000, environment),
        integer(properties, BATCH_SIZE, 65_536, environment),
        Duration.ofSeconds(integer(properties, STATEMENT_TIMEOUT, 300, environment)),
        dialectSettings);
  }

  private static String value(
      Map<String, String> properties, String key, UnaryOperator<String> environment) {
    String raw = properties.get(key);
    if (raw == null) {
      return null;
    }
    Matcher matcher = ENVIRONMENT.matcher(raw);
    StringBuilder expanded = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1);
      String found = environment.apply(name);
      if (found == null) {
        throw invalid(
            "offline_store."
                + key
                + " refers to environment variable "
                + name
                + ", which is not set");
      }
      matcher.appendReplacement(expanded, Matcher.quoteReplacement(found));
    }
    matcher.appendTail(expanded);
    return expanded.toString();
  }

  private static int integer(
      Map<String, String> properties,
      String key,
      int otherwise,
      UnaryOperator<String> environment) {
    String text = value(properties, key, environment);
    if (text == null) {
      return otherwise;
    }
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw invalid("offline_store." + key + " must be an integer, not '" + text + "'");
    }
  }

  private static void positive(String key, int value) {
    if (value <= 0) {
      throw invalid("offline_store." + key + " must be > 0, not " + value);
    }
  }

  private static FlightdeckException invalid(String message) {
    return new FlightdeckException(ErrorCode.INVALID_CONFIGURATION, message);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "JdbcBackendConfig[url="
        + url
        + ", user="
        + user.orElse("")
        + ", poolSize="
        + poolSize
        + ", fetchSize="
        + fetchSize
        + ", batchSize="
        + batchSize
        + ", statementTimeout="
        + statementTimeout
        + ", dialectSettings="
        + dialectSettings.keySet()
        + "]";
  }
}
