package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.server.auth.AuthenticatorConfig;
import dev.flightdeck.server.auth.TokenFileAuthenticator;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's settings. Defaults live here only; {@link #fromProperties} is strict: unknown keys
 * are refused with their names.
 *
 * @param host the address to bind
 * @param port the port to bind; 0 picks a free port
 * @param pendingCommandTtl how long a command whose parameters were sent may wait for its do_get
 * @param streamThreads threads that stream results (a do_get never blocks a gRPC thread)
 * @param clientReadTimeout how long a result stream waits for a client that stopped reading
 * @param putIdleTimeout how long a do_put may go without sending its next message
 * @param shutdownGrace how long running streams may take to finish once shutdown starts
 * @param tls TLS (and mutual TLS) settings; plain gRPC when empty
 * @param authenticators who may call, tried in order; anyone, as anonymous, when empty
 * @param limits what one client may hold on the server
 * @param advertise the location clients reach this very server at, put in every endpoint the server
 *     returns so that a do_get can go straight to the replica that holds the command's parameters;
 *     endpoints name no location (the client's own connection) when empty
 */
public record ServerConfig(
    String host,
    int port,
    Duration pendingCommandTtl,
    int streamThreads,
    Duration clientReadTimeout,
    Duration putIdleTimeout,
    Duration shutdownGrace,
    Optional<TlsSettings> tls,
    List<AuthenticatorConfig> authenticators,
    Limits limits,
    Optional<URI> advertise) {
  public static final String HOST = "host";
  public static final String PORT = "port";
  public static final String PENDING_TTL = "pending-ttl";
  public static final String STREAM_THREADS = "stream-threads";
  public static final String CLIENT_READ_TIMEOUT = "client-read-timeout";
  public static final String ADVERTISE = "advertise";
  public static final Set<String> KEYS =
      Set.of(HOST, PORT, PENDING_TTL, STREAM_THREADS, CLIENT_READ_TIMEOUT, ADVERTISE);

  /** Schemes Flight clients connect with; {@code grpc} is plain gRPC, as {@code grpc+tcp}. */
  public static final Set<String> ADVERTISE_SCHEMES = Set.of("grpc", "grpc+tcp", "grpc+tls");

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8815;
  public static final Duration DEFAULT_PENDING_TTL = Duration.ofMinutes(10);
  public static final int DEFAULT_STREAM_THREADS = 8;
  public static final Duration DEFAULT_CLIENT_READ_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_PUT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  public ServerConfig {
    requireNonNull(host, "host is null");
    requireNonNull(pendingCommandTtl, "pendingCommandTtl is null");
    requireNonNull(clientReadTimeout, "clientReadTimeout is null");
    requireNonNull(tls, "tls is null");
    requireNonNull(putIdleTimeout, "putIdleTimeout is null");
    requireNonNull(shutdownGrace, "shutdownGrace is null");
    authenticators = List.copyOf(requireNonNull(authenticators, "authenticators is null"));
    requireNonNull(limits, "limits is null");
    requireNonNull(advertise, "advertise is null");
    if (host.isBlank()) {
      throw invalid(HOST, host, "must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw invalid(PORT, port, "must be between 0 and 65535 (0 picks a free port)");
    }
    if (pendingCommandTtl.isNegative() || pendingCommandTtl.isZero()) {
      throw invalid(PENDING_TTL, pendingCommandTtl, "must be positive");
    }
    if (streamThreads < 1) {
      throw invalid(STREAM_THREADS, streamThreads, "must be at least 1");
    }
    if (clientReadTimeout.isNegative() || clientReadTimeout.isZero()) {
      throw invalid(CLIENT_READ_TIMEOUT, clientReadTimeout, "must be positive");
    }
    if (putIdleTimeout.isNegative() || putIdleTimeout.isZero()) {
      throw invalid("put-idle-timeout", putIdleTimeout, "must be positive");
    }
    if (shutdownGrace.isNegative()) {
      throw invalid("shutdown-grace", shutdownGrace, "must not be negative");
    }
    advertise.ifPresent(location -> checkAdvertise(location, tls.isPresent()));
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        DEFAULT_HOST,
        DEFAULT_PORT,
        DEFAULT_PENDING_TTL,
        DEFAULT_STREAM_THREADS,
        DEFAULT_CLIENT_READ_TIMEOUT,
        DEFAULT_PUT_IDLE_TIMEOUT,
        DEFAULT_SHUTDOWN_GRACE,
        Optional.empty(),
        List.of(),
        Limits.defaults(),
        Optional.empty());
  }

  /** Settings from string keys (see {@link #KEYS}); absent keys keep their defaults. */
  public static ServerConfig fromProperties(Map<String, String> properties) {
    Set<String> unknown = new TreeSet<>(properties.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "unknown server config keys " + unknown + " (known: " + new TreeSet<>(KEYS) + ")");
    }
    ServerConfig defaults = defaults();
    return new ServerConfig(
        properties.getOrDefault(HOST, defaults.host()),
        properties.containsKey(PORT) ? parseInt(PORT, properties.get(PORT)) : defaults.port(),
        properties.containsKey(PENDING_TTL)
            ? parseDuration(PENDING_TTL, properties.get(PENDING_TTL))
            : defaults.pendingCommandTtl(),
        properties.containsKey(STREAM_THREADS)
            ? parseInt(STREAM_THREADS, properties.get(STREAM_THREADS))
            : defaults.streamThreads(),
        properties.containsKey(CLIENT_READ_TIMEOUT)
            ? parseDuration(CLIENT_READ_TIMEOUT, properties.get(CLIENT_READ_TIMEOUT))
            : defaults.clientReadTimeout(),
        defaults.putIdleTimeout(),
        defaults.shutdownGrace(),
        Optional.empty(),
        List.of(),
        Limits.defaults(),
        properties.containsKey(ADVERTISE)
            ? Optional.of(parseAdvertise(properties.get(ADVERTISE)))
            : defaults.advertise());
  }

  public ServerConfig withHost(String host) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  public ServerConfig withPendingCommandTtl(Duration pendingCommandTtl) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  public ServerConfig withStreamThreads(int streamThreads) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  public ServerConfig withClientReadTimeout(Duration clientReadTimeout) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  public ServerConfig withPutIdleTimeout(Duration putIdleTimeout) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  public ServerConfig withShutdownGrace(Duration shutdownGrace) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  /** Serves {@code grpc+tls} with {@code tls}, or plain gRPC when empty. */
  public ServerConfig withTls(Optional<TlsSettings> tls) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  /** Requires every call to prove who it is to one of these, or nothing when empty. */
  public ServerConfig withAuthenticators(List<AuthenticatorConfig> authenticators) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  public ServerConfig withLimits(Limits limits) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  /**
   * Puts {@code advertise} in every endpoint the server returns (see {@link #advertise()}). It must
   * be {@code grpc+tls} exactly when the server serves TLS, so set TLS ({@link #withTls}) first.
   */
  public ServerConfig withAdvertise(Optional<URI> advertise) {
    return new ServerConfig(
        host,
        port,
        pendingCommandTtl,
        streamThreads,
        clientReadTimeout,
        putIdleTimeout,
        shutdownGrace,
        tls,
        authenticators,
        limits,
        advertise);
  }

  /**
   * An advertised location as written by an operator ({@code grpc+tcp://replica-1.internal:8815});
   * its scheme, host and port are checked when the config is built.
   */
  public static URI parseAdvertise(String value) {
    requireNonNull(value, "value is null");
    try {
      return new URI(value.strip());
    } catch (URISyntaxException e) {
      throw invalid(
          ADVERTISE,
          value,
          "is not a URI such as grpc+tcp://replica-1.internal:8815 (" + e.getReason() + ")");
    }
  }

  /**
   * A location a client can connect to, and with the TLS this server serves: a client told to fetch
   * from a location that is not this server's, or that speaks the wrong protocol to it, fails.
   */
  private static void checkAdvertise(URI location, boolean tls) {
    String scheme = location.getScheme();
    if (scheme == null || !ADVERTISE_SCHEMES.contains(scheme)) {
      throw invalid(
          ADVERTISE,
          location,
          "must be grpc+tcp://HOST:PORT, or grpc+tls://HOST:PORT when serving TLS");
    }
    if (location.getHost() == null || location.getPort() < 1) {
      throw invalid(
          ADVERTISE,
          location,
          "needs a host and a port, such as " + scheme + "://replica-1.internal:8815");
    }
    if (location.getUserInfo() != null
        || !(location.getRawPath() == null || location.getRawPath().isEmpty())
        || location.getRawQuery() != null
        || location.getRawFragment() != null) {
      throw invalid(ADVERTISE, location, "must be only " + scheme + "://HOST:PORT");
    }
    String hostPort = location.getHost() + ":" + location.getPort();
    if (scheme.equals("grpc+tls") && !tls) {
      throw invalid(
          ADVERTISE,
          location,
          "is grpc+tls, but this server serves plain gRPC (no --tls-cert): advertise grpc+tcp://"
              + hostPort
              + ", or serve TLS");
    }
    if (!scheme.equals("grpc+tls") && tls) {
      throw invalid(
          ADVERTISE,
          location,
          "is plain gRPC, but this server serves TLS: advertise grpc+tls://" + hostPort);
    }
  }

  /** Requires a bearer token listed in this token file on every call. */
  public ServerConfig withAuthTokens(Path tokenFile) {
    return withAuthenticators(
        List.of(
            new AuthenticatorConfig(
                TokenFileAuthenticator.TYPE,
                Map.of(TokenFileAuthenticator.FILE, tokenFile.toString()))));
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw invalid(key, value, "is not an integer");
    }
  }

  private static Duration parseDuration(String key, String value) {
    try {
      return Duration.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw invalid(key, value, "is not an ISO-8601 duration such as PT10M");
    }
  }

  private static FlightdeckException invalid(String key, Object value, String problem) {
    return new FlightdeckException(
        ErrorCode.INVALID_CONFIGURATION,
        "server config '" + key + "' = '" + value + "' " + problem);
  }
}
