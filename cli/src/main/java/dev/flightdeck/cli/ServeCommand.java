package dev.flightdeck.cli;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.feast.FeastRepositoryLoader;
import dev.flightdeck.repository.RepositoryLoaders;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.Limits;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.TlsSettings;
import dev.flightdeck.server.auth.AuthenticatorConfig;
import dev.flightdeck.server.auth.ClientCertificateAuthenticator;
import dev.flightdeck.server.auth.JwtAuthenticator;
import dev.flightdeck.server.auth.TokenFileAuthenticator;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RepositorySource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code flightdeck serve}: serves a repository until SIGTERM or Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serves the feature repository in DIR over Arrow Flight.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--repo",
      required = true,
      paramLabel = "DIR",
      description =
          "Folder holding feature_store.yaml: Flightdeck's own, or a Feast repository's (one that"
              + " names a file registry, read as feast apply left it).")
  Path repo;

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description =
          "A folder besides the repository whose files data sources may read (a Feast file"
              + " source may name an absolute path); repeatable. Nothing outside the repository"
              + " and these folders is read.")
  List<Path> dataRoots = new ArrayList<>();

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host = ServerConfig.DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port to bind; 0 picks a free port (default: ${DEFAULT-VALUE}).")
  int port = ServerConfig.DEFAULT_PORT;

  @Option(
      names = "--pending-ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long sent parameters wait for their do_get (default: ${DEFAULT-VALUE}).")
  Duration pendingTtl = ServerConfig.DEFAULT_PENDING_TTL;

  @Option(
      names = "--stream-threads",
      paramLabel = "N",
      description =
          "Threads streaming results, so many do_gets run at once (default: ${DEFAULT-VALUE}).")
  int streamThreads = ServerConfig.DEFAULT_STREAM_THREADS;

  @Option(
      names = "--client-read-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long a result stream waits for a client that stopped reading before it gives up"
              + " (default: ${DEFAULT-VALUE}).")
  Duration clientReadTimeout = ServerConfig.DEFAULT_CLIENT_READ_TIMEOUT;

  @Option(
      names = "--advertise",
      paramLabel = "URI",
      description =
          "This server's own address as clients reach it, such as"
              + " grpc+tcp://replica-1.internal:8815 (grpc+tls:// when serving TLS): every"
              + " FlightInfo endpoint names it, so a client that came through a load balancer"
              + " fetches results straight from this replica, which holds the parameters it put."
              + " Default: none, results come over the client's own connection.")
  String advertise;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Serve grpc+tls with this certificate chain (PEM); needs --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, PKCS#8: BEGIN PRIVATE KEY).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "Also require client certificates signed by this CA (PEM): mutual TLS. Needs --tls-cert.")
  Path tlsClientCa;

  @Option(
      names = "--auth-tokens",
      paramLabel = "FILE",
      description =
          "Require a bearer token on every call, checked against this token file (YAML of"
              + " principal, sha256 and roles; see docs/security.md and flightdeck hash-token).")
  Path authTokens;

  @Option(
      names = "--auth-jwks",
      paramLabel = "FILE",
      description =
          "Accept bearer tokens that are JWTs signed by a key of this JWKS file (public keys);"
              + " checks signature, exp and nbf, and --jwt-issuer/--jwt-audience when given.")
  Path authJwks;

  @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "The iss a JWT must carry.")
  String jwtIssuer;

  @Option(names = "--jwt-audience", paramLabel = "AUD", description = "An aud a JWT must carry.")
  String jwtAudience;

  @Option(
      names = "--jwt-principal-claim",
      paramLabel = "CLAIM",
      description = "The claim naming the principal (default: ${DEFAULT-VALUE}).")
  String jwtPrincipalClaim = JwtAuthenticator.DEFAULT_PRINCIPAL_CLAIM;

  @Option(
      names = "--jwt-roles-claim",
      paramLabel = "CLAIM",
      description =
          "The claim holding the roles, a list or a space-separated string (default:"
              + " ${DEFAULT-VALUE}).")
  String jwtRolesClaim = JwtAuthenticator.DEFAULT_ROLES_CLAIM;

  @Option(
      names = "--tls-client-roles",
      paramLabel = "ROLES",
      description =
          "With --tls-client-ca, the roles of a client known by its certificate's subject, such"
              + " as read or read+write (default: ${DEFAULT-VALUE}).")
  String tlsClientRoles = ClientCertificateAuthenticator.DEFAULT_ROLES;

  @Option(
      names = "--auth",
      paramLabel = "TYPE[:KEY=VALUE,...]",
      description =
          "Also run an authenticator found on the class path (AuthenticatorFactory), with its"
              + " settings; repeatable. Built in: tokens, jwt, mtls.")
  List<String> auth = new ArrayList<>();

  @Option(
      names = "--put-idle-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long a do_put may send nothing before it is dropped (default: ${DEFAULT-VALUE}).")
  Duration putIdleTimeout = ServerConfig.DEFAULT_PUT_IDLE_TIMEOUT;

  @Option(
      names = "--shutdown-grace",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "On SIGTERM, how long running result streams may take to finish (default:"
              + " ${DEFAULT-VALUE}).")
  Duration shutdownGrace = ServerConfig.DEFAULT_SHUTDOWN_GRACE;

  @Option(
      names = "--max-puts-per-principal",
      paramLabel = "N",
      description = "do_puts one principal may have in flight at once (default: 64).")
  Integer maxPutsPerPrincipal;

  @Option(
      names = "--max-streams-per-principal",
      paramLabel = "N",
      description = "Result streams one principal may have open at once (default: 64).")
  Integer maxStreamsPerPrincipal;

  @Option(
      names = "--cache-size",
      paramLabel = "SIZE",
      description =
          "File backend: memory for decoded feature views kept between requests, 0 for none;"
              + " overrides offline_store.cache_size (default: 512MiB).")
  String cacheSize;

  @Option(
      names = "--max-command-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description = "Memory one command's parameters may hold (default: 128MiB).")
  Long maxCommandBytes;

  @Option(
      names = "--max-pending-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description =
          "Memory all pending commands together may hold; keep it below the JVM's direct memory"
              + " (default: 256MiB).")
  Long maxPendingBytes;

  @Option(
      names = "--max-pending-bytes-per-principal",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description =
          "Memory one principal's pending commands may hold, so one cannot take the pool from"
              + " the others; without authentication all clients are one principal (default:"
              + " 128MiB).")
  Long maxPendingBytesPerPrincipal;

  @Option(
      names = "--max-commands-per-principal",
      paramLabel = "N",
      description =
          "Pending commands one principal may have; without --auth-tokens all clients are one"
              + " principal (default: 256).")
  Integer maxCommandsPerPrincipal;

  @Option(
      names = "--max-action-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description = "Size of a do_action body (default: 64KiB).")
  Long maxActionBytes;

  @Option(
      names = "--max-feature-references",
      paramLabel = "N",
      description = "Feature references one retrieval may ask for (default: 10000).")
  Integer maxFeatureReferences;

  @Option(
      names = "--max-message-bytes",
      paramLabel = "SIZE",
      converter = ByteSizeConverter.class,
      description = "Size of one inbound gRPC message, such as a put's batch (default: 64MiB).")
  Long maxMessageBytes;

  ServerConfig config() {
    return ServerConfig.defaults()
        .withHost(host)
        .withPort(port)
        .withPendingCommandTtl(pendingTtl)
        .withStreamThreads(streamThreads)
        .withClientReadTimeout(clientReadTimeout)
        .withPutIdleTimeout(putIdleTimeout)
        .withShutdownGrace(shutdownGrace)
        .withTls(tls())
        .withAdvertise(Optional.ofNullable(advertise).map(ServerConfig::parseAdvertise))
        .withAuthenticators(authenticators())
        .withLimits(limits());
  }

  /** Tokens from a file first, then JWTs, then plug-ins; a client certificate last. */
  private List<AuthenticatorConfig> authenticators() {
    List<AuthenticatorConfig> chain = new ArrayList<>();
    if (authTokens != null) {
      chain.add(
          new AuthenticatorConfig(
              TokenFileAuthenticator.TYPE,
              Map.of(TokenFileAuthenticator.FILE, authTokens.toString())));
    }
    if (authJwks != null) {
      Map<String, String> settings = new HashMap<>();
      settings.put(JwtAuthenticator.JWKS, authJwks.toString());
      settings.put(JwtAuthenticator.PRINCIPAL_CLAIM, jwtPrincipalClaim);
      settings.put(JwtAuthenticator.ROLES_CLAIM, jwtRolesClaim);
      if (jwtIssuer != null) {
        settings.put(JwtAuthenticator.ISSUER, jwtIssuer);
      }
      if (jwtAudience != null) {
        settings.put(JwtAuthenticator.AUDIENCE, jwtAudience);
      }
      chain.add(new AuthenticatorConfig(JwtAuthenticator.TYPE, settings));
    } else if (jwtIssuer != null || jwtAudience != null) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION, "--jwt-issuer and --jwt-audience need --auth-jwks");
    }
    auth.forEach(spec -> chain.add(AuthenticatorConfig.parse(spec)));
    if (tlsClientCa != null) {
      chain.add(
          new AuthenticatorConfig(
              ClientCertificateAuthenticator.TYPE,
              Map.of(ClientCertificateAuthenticator.ROLES, tlsClientRoles)));
    }
    return chain;
  }

  private Limits limits() {
    Limits defaults = Limits.defaults();
    long pending = maxPendingBytes != null ? maxPendingBytes : defaults.pendingBytes();
    // A smaller pool alone lowers the per-principal and per-command defaults with it.
    long perPrincipal =
        maxPendingBytesPerPrincipal != null
            ? maxPendingBytesPerPrincipal
            : Math.min(defaults.pendingBytesPerPrincipal(), pending);
    long command =
        maxCommandBytes != null ? maxCommandBytes : Math.min(defaults.commandBytes(), perPrincipal);
    return new Limits(
        command,
        pending,
        perPrincipal,
        maxCommandsPerPrincipal != null ? maxCommandsPerPrincipal : defaults.commandsPerPrincipal(),
        maxPutsPerPrincipal != null ? maxPutsPerPrincipal : defaults.putsPerPrincipal(),
        maxStreamsPerPrincipal != null ? maxStreamsPerPrincipal : defaults.streamsPerPrincipal(),
        maxActionBytes != null ? Math.toIntExact(maxActionBytes) : defaults.actionBodyBytes(),
        maxMessageBytes != null ? Math.toIntExact(maxMessageBytes) : defaults.messageBytes(),
        maxFeatureReferences != null ? maxFeatureReferences : defaults.featureReferences());
  }

  private Optional<TlsSettings> tls() {
    if (tlsCert == null && tlsKey == null) {
      if (tlsClientCa != null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_CONFIGURATION,
            "--tls-client-ca needs TLS: give --tls-cert and --tls-key too");
      }
      return Optional.empty();
    }
    if (tlsCert == null || tlsKey == null) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION, "TLS needs both --tls-cert and --tls-key");
    }
    TlsSettings tls = TlsSettings.of(tlsCert, tlsKey);
    return Optional.of(tlsClientCa == null ? tls : tls.requiringClientCertificates(tlsClientCa));
  }

  /** The repository, in Flightdeck's format or Feast's, with the operator's roots and overrides. */
  RepositorySource source(Path repository) {
    return RepositorySource.of(repository)
        .withLoaders(RepositoryLoaders.standard().with(new FeastRepositoryLoader()))
        .withDataRoots(dataRoots.stream().map(root -> root.toAbsolutePath().normalize()).toList())
        .withOfflineStoreOverrides(cacheSize == null ? Map.of() : Map.of("cache_size", cacheSize));
  }

  @Override
  public Integer call() throws Exception {
    Path repository = repo.toAbsolutePath().normalize();
    BufferAllocator allocator = new RootAllocator();
    FlightdeckServer server;
    try {
      server =
          FlightdeckServer.forRepository(
                  source(repository), OfflineStoreRegistry.discover(), allocator, config())
              .start();
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stopOnce =
        () -> {
          if (stopping.compareAndSet(false, true)) {
            stop(server, allocator, stopped);
          }
        };
    // SIGTERM and Ctrl-C stop the server gracefully and exit 0; the hook covers any other exit.
    for (String signal : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(signal), s -> new Thread(stopOnce, "flightdeck-shutdown").start());
      } catch (IllegalArgumentException e) {
        log.debug("cannot handle SIG{} here: {}", signal, e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stopOnce, "flightdeck-shutdown-hook"));
    spec.commandLine()
        .getOut()
        .println(
            "Flightdeck serving "
                + repository
                + " at "
                + server.location().getUri()
                + server
                    .config()
                    .advertise()
                    .map(uri -> " (advertised as " + uri + ")")
                    .orElse(""));
    spec.commandLine().getOut().flush();
    server.awaitTermination();
    stopped.await();
    return 0;
  }

  private static void stop(
      FlightdeckServer server, BufferAllocator allocator, CountDownLatch stopped) {
    try (allocator) {
      log.info(
          "Shutting down: no new commands; running streams get {}",
          server.config().shutdownGrace());
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // The JVM is exiting: report what did not close cleanly instead of throwing into the void.
      log.warn("Shutdown did not finish cleanly: {}", e.getMessage());
    } finally {
      stopped.countDown();
    }
  }
}
