package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.HistoricalFeaturesCodec;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.Map;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The offline store API served by a remote Flightdeck server. {@link #getHistoricalFeatures} sends
 * the parameters at once (one do_put each) and returns a lazy job; the data moves when the job is
 * run.
 */
public final class RemoteOfflineStore implements OfflineStore {
  /**
   * Rows per do_put batch of the entity table: large enough to amortise, small enough to stay under
   * gRPC limits.
   */
  public static final int DEFAULT_PUT_BATCH_ROWS = 65_536;

  private final BufferAllocator allocator;
  private final FlightClient client;
  private final ParamSender sender;

  public RemoteOfflineStore(String host, int port, BufferAllocator allocator) {
    this(Location.forGrpcInsecure(host, port), allocator);
  }

  public RemoteOfflineStore(Location location, BufferAllocator allocator) {
    this(location, allocator, DEFAULT_PUT_BATCH_ROWS);
  }

  public RemoteOfflineStore(Location location, BufferAllocator allocator, int putBatchRows) {
    requireNonNull(location, "location is null");
    requireNonNull(allocator, "allocator is null");
    this.allocator = allocator.newChildAllocator("flightdeck-client", 0, allocator.getLimit());
    try {
      this.client = FlightClient.builder(this.allocator, location).build();
      this.sender = new ParamSender(client, this.allocator, putBatchRows);
    } catch (RuntimeException e) {
      this.allocator.close();
      throw e;
    }
  }

  /** Puts the request's parameters now; the job fetches the result when asked. */
  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    requireNonNull(request, "request is null");
    return new RemoteRetrievalJob(client, send(request), () -> send(request));
  }

  /** One do_put per parameter under a new command id; returns the id. */
  private String send(HistoricalFeaturesRequest request) {
    String commandId = CommandIds.newId();
    Api api = Api.GET_HISTORICAL_FEATURES;
    sender.send(new CommandHeader(commandId, api, Api.Param.ENTITY_DF), request.entityRows());
    Map<String, VectorSchemaRoot> options =
        HistoricalFeaturesCodec.encodeOptions(request, allocator);
    try {
      options.forEach(
          (param, table) -> sender.send(new CommandHeader(commandId, api, param), table));
    } finally {
      options.values().forEach(VectorSchemaRoot::close);
    }
    return commandId;
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
      client.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FlightdeckException(
          ErrorCode.INTERNAL_ERROR, "interrupted while closing the Flight client", e);
    } finally {
      allocator.close();
    }
  }
}
