package dev.flightdeck.it;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import org.apache.arrow.memory.BufferAllocator;

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

  // TODO(issue 3): temporary until the API lands in this module.
  @Override
  public dev.flightdeck.spi.RetrievalJob pullLatestFromTableOrQuery(
      dev.flightdeck.spi.PullRequest request) {
    throw new UnsupportedOperationException("pull_latest_from_table_or_query");
  }

  @Override
  public dev.flightdeck.spi.RetrievalJob pullAllFromTableOrQuery(
      dev.flightdeck.spi.PullRequest request) {
    throw new UnsupportedOperationException("pull_all_from_table_or_query");
  }

  @Override
  public long offlineWriteBatch(
      String featureView, org.apache.arrow.vector.VectorSchemaRoot table) {
    throw new UnsupportedOperationException("offline_write_batch");
  }

  @Override
  public long writeLoggedFeatures(
      String featureService, org.apache.arrow.vector.VectorSchemaRoot logs) {
    throw new UnsupportedOperationException("write_logged_features");
  }

  @Override
  public void validateDataSource(String dataSource) {
    throw new UnsupportedOperationException("validate_data_source");
  }

  @Override
  public java.util.List<dev.flightdeck.spi.SourceColumn> getTableColumnNamesAndTypes(
      String dataSource) {
    throw new UnsupportedOperationException("get_table_column_names_and_types");
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
