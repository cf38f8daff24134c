package dev.flightdeck.it;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A backend served by a real Flightdeck server on a free port, seen through the remote client: what
 * a contract test gets when it asks for "the remote store over this backend". Closing it stops the
 * server, which closes the backend.
 */
final class ServedStore implements OfflineStore {
  private final FlightdeckServer server;
  private final RemoteOfflineStore remote;

  private ServedStore(FlightdeckServer server, RemoteOfflineStore remote) {
    this.server = server;
    this.remote = remote;
  }

  /**
   * Serves {@code backend}; small put batches so every entity table crosses in several messages.
   */
  static ServedStore serve(OfflineStore backend, BufferAllocator allocator) {
    FlightdeckServer server =
        FlightdeckServer.forStore(backend, allocator, ServerConfig.defaults().withPort(0)).start();
    return new ServedStore(server, new RemoteOfflineStore(server.location(), allocator, 3));
  }

  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    return remote.getHistoricalFeatures(request);
  }

  @Override
  public RetrievalJob pullLatestFromTableOrQuery(PullRequest request) {
    return remote.pullLatestFromTableOrQuery(request);
  }

  @Override
  public RetrievalJob pullAllFromTableOrQuery(PullRequest request) {
    return remote.pullAllFromTableOrQuery(request);
  }

  @Override
  public long offlineWriteBatch(String featureView, VectorSchemaRoot table) {
    return remote.offlineWriteBatch(featureView, table);
  }

  @Override
  public long writeLoggedFeatures(String featureService, VectorSchemaRoot logs) {
    return remote.writeLoggedFeatures(featureService, logs);
  }

  @Override
  public void validateDataSource(String dataSource) {
    remote.validateDataSource(dataSource);
  }

  @Override
  public List<SourceColumn> getTableColumnNamesAndTypes(String dataSource) {
    return remote.getTableColumnNamesAndTypes(dataSource);
  }

  @Override
  public void close() {
    try {
      remote.close();
    } finally {
      try {
        server.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the server", e);
      }
    }
  }
}
