package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.server.auth.Authorization;
import dev.flightdeck.spi.OfflineStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.arrow.memory.BufferAllocator;

/** The server's own wiring; backends wire themselves behind the SPI and share nothing with it. */
final class ServerModule extends AbstractModule {
  private final ServerConfig config;
  private final OfflineStore store;
  private final BufferAllocator allocator;
  private final Authorization authorization;

  ServerModule(
      ServerConfig config,
      OfflineStore store,
      BufferAllocator allocator,
      Authorization authorization) {
    this.config = requireNonNull(config, "config is null");
    this.store = requireNonNull(store, "store is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.authorization = requireNonNull(authorization, "authorization is null");
  }

  @Override
  protected void configure() {
    bind(ServerConfig.class).toInstance(config);
    bind(OfflineStore.class).toInstance(store);
    bind(BufferAllocator.class).toInstance(allocator);
    bind(Authorization.class).toInstance(authorization);
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(PendingCommands.class).in(Singleton.class);
    bind(ResultStreamer.class).in(Singleton.class);
    bind(FlightdeckProducer.class).in(Singleton.class);
    bind(ServingState.class).in(Singleton.class);
  }

  /** One timer for the server's timeouts (idle puts, stalled readers); the server shuts it down. */
  @Provides
  @Singleton
  ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "flightdeck-timer");
              thread.setDaemon(true);
              return thread;
            });
    // A stream's read alarm is nearly always cancelled: drop it from the queue at once.
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** One handler per API that returns data; the producer refuses to start if one has none. */
  @Provides
  @Singleton
  List<ApiHandler> handlers(
      HistoricalFeaturesHandler historicalFeatures, TableColumnsHandler columns) {
    return List.of(
        historicalFeatures,
        new PullHandler(store, Api.PULL_LATEST_FROM_TABLE_OR_QUERY),
        new PullHandler(store, Api.PULL_ALL_FROM_TABLE_OR_QUERY),
        columns);
  }

  /** One handler per API that returns no data. */
  @Provides
  @Singleton
  List<ActionApiHandler> actionHandlers(
      WriteBatchHandler writeBatch,
      LoggedFeaturesHandler loggedFeatures,
      ValidateDataSourceHandler validate) {
    return List.of(writeBatch, loggedFeatures, validate);
  }
}
