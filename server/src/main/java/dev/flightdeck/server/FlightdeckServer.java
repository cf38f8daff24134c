package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.server.audit.AuditInterceptor;
import dev.flightdeck.server.auth.AuthenticationInterceptor;
import dev.flightdeck.server.auth.Authenticators;
import dev.flightdeck.server.auth.Authorization;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RepositorySource;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flightdeck server: an offline store served over Arrow Flight. The entry point for embedders and
 * tests; the CLI is a thin shell around it.
 *
 * <pre>{@code
 * try (BufferAllocator allocator = new RootAllocator();
 *     FlightdeckServer server = FlightdeckServer.forRepository(Path.of("examples/driver_repo"), allocator,
 *         ServerConfig.defaults().withPort(0))) {
 *   server.start();
 *   System.out.println(server.location());
 *   server.awaitTermination();
 * }
 * }</pre>
 *
 * The server owns its store and closes it; it takes a child of the given allocator and never closes
 * the caller's allocator.
 */
public final class FlightdeckServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FlightdeckServer.class);

  private final ServerConfig config;
  private final BufferAllocator allocator;
  private final OfflineStore store;
  private final PendingCommands pending;
  private final ResultStreamer streamer;
  private final ServingState state;
  private final FlightdeckProducer producer;
  private final ScheduledExecutorService timer;
  private final boolean authenticated;
  private final ExecutorService grpcExecutor = newGrpcExecutor();
  private final FlightServer flightServer;
  private boolean started;

  private FlightdeckServer(
      ServerConfig config,
      BufferAllocator parent,
      Function<BufferAllocator, OfflineStore> storeFactory) {
    this.config = requireNonNull(config, "config is null");
    this.allocator =
        requireNonNull(parent, "allocator is null")
            .newChildAllocator("flightdeck-server", 0, parent.getLimit());
    OfflineStore opened = null;
    try {
      opened = requireNonNull(storeFactory.apply(allocator), "store is null");
      Authenticators authenticators =
          Authenticators.load(config.authenticators(), FlightdeckServer.class.getClassLoader());
      Injector injector =
          Guice.createInjector(
              new ServerModule(
                  config, opened, allocator, new Authorization(authenticators.required())));
      this.store = opened;
      this.pending = injector.getInstance(PendingCommands.class);
      this.streamer = injector.getInstance(ResultStreamer.class);
      this.state = injector.getInstance(ServingState.class);
      this.timer = injector.getInstance(ScheduledExecutorService.class);
      this.authenticated = authenticators.required();
      this.producer = injector.getInstance(FlightdeckProducer.class);
      FlightServer.Builder builder =
          FlightServer.builder(allocator, location(config, config.port()), producer);
      if (config.tls().isPresent()) {
        useTls(builder, config.tls().get());
      }
      // Interceptors run in the reverse order of adding: audit first, so refusals are logged too.
      AuthenticationInterceptor authentication = new AuthenticationInterceptor(authenticators);
      AuditInterceptor audit = new AuditInterceptor();
      builder.transportHint(
          "grpc.builderConsumer",
          (Consumer<NettyServerBuilder>) netty -> netty.intercept(authentication).intercept(audit));
      builder.maxInboundMessageSize(config.limits().messageBytes());
      // Our own executor for gRPC and puts: Flight would stop its own together with the server,
      // and calls that end during shutdown would find it gone.
      builder.executor(grpcExecutor);
      this.flightServer = builder.build();
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      allocator.close();
      grpcExecutor.shutdownNow();
      throw e;
    }
  }

  /**
   * A server for the repository in {@code repositoryDir}, its backend found in {@code registry}.
   */
  public static FlightdeckServer forRepository(
      Path repositoryDir,
      OfflineStoreRegistry registry,
      BufferAllocator allocator,
      ServerConfig config) {
    return forRepository(repositoryDir, registry, allocator, config, Map.of());
  }

  /**
   * A server for the repository in {@code repositoryDir}, with {@code offlineStoreSettings} in
   * place of the same {@code offline_store} keys of its file (e.g. {@code cache_size}).
   */
  public static FlightdeckServer forRepository(
      Path repositoryDir,
      OfflineStoreRegistry registry,
      BufferAllocator allocator,
      ServerConfig config,
      Map<String, String> offlineStoreSettings) {
    requireNonNull(repositoryDir, "repositoryDir is null");
    return forRepository(
        RepositorySource.of(repositoryDir).withOfflineStoreOverrides(offlineStoreSettings),
        registry,
        allocator,
        config);
  }

  /**
   * A server for the repository {@code source} names, read by the first of its loaders that reads
   * it (Flightdeck's own format, Feast's, ...), its backend found in {@code registry}.
   */
  public static FlightdeckServer forRepository(
      RepositorySource source,
      OfflineStoreRegistry registry,
      BufferAllocator allocator,
      ServerConfig config) {
    requireNonNull(source, "source is null");
    requireNonNull(registry, "registry is null");
    return new FlightdeckServer(config, allocator, child -> registry.open(source, child));
  }

  /** A server for the repository in {@code repositoryDir}, its backend found on the class path. */
  public static FlightdeckServer forRepository(
      Path repositoryDir, BufferAllocator allocator, ServerConfig config) {
    return forRepository(repositoryDir, OfflineStoreRegistry.discover(), allocator, config);
  }

  /** A server for a store already built (tests, embedders); the server takes ownership of it. */
  public static FlightdeckServer forStore(
      OfflineStore store, BufferAllocator allocator, ServerConfig config) {
    requireNonNull(store, "store is null");
    return new FlightdeckServer(config, allocator, child -> store);
  }

  /** Binds the port and starts serving; returns this. */
  public synchronized FlightdeckServer start() {
    if (started) {
      throw new IllegalStateException("server already started at " + location());
    }
    try {
      flightServer.start();
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(),
          e);
    }
    started = true;
    log.info(
        "Flightdeck serving at {}{}",
        location().getUri(),
        config.advertise().map(uri -> ", advertising " + uri + " in endpoints").orElse(""));
    if (!authenticated && !isLoopback(config.host())) {
      log.warn(
          "Listening on {} without authentication: anyone who reaches this port can read and"
              + " write every feature. Use --auth-tokens, --auth-jwks or --tls-client-ca"
              + " (docs/security.md).",
          config.host());
    }
    return this;
  }

  /** The bound port (the free port picked when the configured port is 0). */
  public int port() {
    return flightServer.getPort();
  }

  /** {@code grpc+tls://host:port} when serving TLS, else {@code grpc+tcp://host:port}. */
  public Location location() {
    return location(config, port());
  }

  private static Location location(ServerConfig config, int port) {
    return config.tls().isPresent()
        ? Location.forGrpcTls(config.host(), port)
        : Location.forGrpcInsecure(config.host(), port);
  }

  private static void useTls(FlightServer.Builder builder, TlsSettings tls) {
    try {
      builder.useTls(tls.certificateChain().toFile(), tls.privateKey().toFile());
      if (tls.clientCa().isPresent()) {
        builder.useMTlsClientVerification(tls.clientCa().get().toFile());
      }
    } catch (IOException | RuntimeException e) {
      // Netty's message says what is wrong with the PEM; no secret is in it.
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "cannot use the TLS certificate "
              + tls.certificateChain()
              + " and key "
              + tls.privateKey()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Result streams open now: sending, or waiting for a slow client. */
  public int openStreams() {
    return streamer.openStreams();
  }

  /** do_puts being received now. */
  public int openPuts() {
    return producer.openPuts();
  }

  public ServerConfig config() {
    return config;
  }

  /** Blocks until the server has shut down. */
  public void awaitTermination() throws InterruptedException {
    flightServer.awaitTermination();
  }

  private static ExecutorService newGrpcExecutor() {
    AtomicInteger threads = new AtomicInteger();
    return Executors.newCachedThreadPool(
        runnable -> {
          Thread thread = new Thread(runnable, "flightdeck-grpc-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  private static void stop(ExecutorService executor) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Shuts down gracefully: takes no new commands ({@code health} answers UNAVAILABLE), lets running
   * streams finish within the configured grace period, ends those still running, then frees
   * everything in reverse order of creation.
   */
  @Override
  public void close() throws InterruptedException {
    state.stop();
    try (BufferAllocator closeAllocator = allocator;
        OfflineStore closeStore = store;
        PendingCommands closePending = pending;
        AutoCloseable closeTimer = timer::shutdownNow;
        AutoCloseable closeGrpcExecutor = () -> stop(grpcExecutor);
        ResultStreamer closeStreamer = streamer) {
      if (started) {
        streamer.drain(config.shutdownGrace());
        // Let calls that just ended close on gRPC's executor before close() stops it.
        flightServer.shutdown();
        flightServer.awaitTermination(5, TimeUnit.SECONDS);
      }
      flightServer.close();
    } catch (InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the server failed", e);
    }
  }
}
