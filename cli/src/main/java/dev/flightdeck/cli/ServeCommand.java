package dev.flightdeck.cli;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.Limits;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
      description = "Folder holding feature_store.yaml.")
  Path repo;

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
        .withTls(tls())
        .withAuthTokens(Optional.ofNullable(authTokens))
        .withLimits(limits());
  }

  private Limits limits() {
    Limits defaults = Limits.defaults();
    long pending = maxPendingBytes != null ? maxPendingBytes : defaults.pendingBytes();
    // A smaller pool alone lowers the per-command default with it.
    long command =
        maxCommandBytes != null ? maxCommandBytes : Math.min(defaults.commandBytes(), pending);
    return new Limits(
        command,
        pending,
        maxCommandsPerPrincipal != null ? maxCommandsPerPrincipal : defaults.commandsPerPrincipal(),
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

  @Override
  public Integer call() throws Exception {
    Path repository = repo.toAbsolutePath().normalize();
    BufferAllocator allocator = new RootAllocator();
    FlightdeckServer server;
    try {
      server = FlightdeckServer.forRepository(repository, allocator, config()).start();
    } catch (RuntimeException e) {
      allocator.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop(server, allocator, stopped), "flightdeck-shutdown"));
    spec.commandLine()
        .getOut()
        .println("Flightdeck serving " + repository + " at " + server.location().getUri());
    spec.commandLine().getOut().flush();
    server.awaitTermination();
    stopped.await();
    return 0;
  }

  private static void stop(
      FlightdeckServer server, BufferAllocator allocator, CountDownLatch stopped) {
    try (allocator) {
      log.info("Shutting down");
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
