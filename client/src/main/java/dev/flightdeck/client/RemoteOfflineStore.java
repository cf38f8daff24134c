package dev.flightdeck.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.ActionJson;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.HistoricalFeaturesCodec;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.protocol.PullCodec;
import dev.flightdeck.protocol.RepositoryDescription;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The offline store API served by a remote Flightdeck server. Every call sends its parameters at
 * once (one do_put each); calls that return data give a lazy job whose data moves when it is run,
 * the others run with a do_action and return its answer.
 */
public final class RemoteOfflineStore implements OfflineStore {
  /**
   * Rows per do_put batch of a table parameter: large enough to amortise, small enough to stay
   * under gRPC limits.
   */
  public static final int DEFAULT_PUT_BATCH_ROWS = 65_536;

  private final BufferAllocator allocator;
  private final Connections connections;
  private final FlightClient client;
  private final ParamSender sender;
  private final RemoteCalls calls;

  public RemoteOfflineStore(String host, int port, BufferAllocator allocator) {
    this(Location.forGrpcInsecure(host, port), allocator);
  }

  public RemoteOfflineStore(Location location, BufferAllocator allocator) {
    this(location, allocator, DEFAULT_PUT_BATCH_ROWS);
  }

  /** A client of the server at {@code host:port} over TLS ({@code grpc+tls}). */
  public RemoteOfflineStore(String host, int port, TlsOptions tls, BufferAllocator allocator) {
    this(host, port, ClientOptions.defaults().withTls(tls), allocator);
  }

  /** A client of the server at {@code host:port}: TLS when the options have it, else plain. */
  public RemoteOfflineStore(
      String host, int port, ClientOptions options, BufferAllocator allocator) {
    this(
        options.tls().isPresent()
            ? Location.forGrpcTls(host, port)
            : Location.forGrpcInsecure(host, port),
        options,
        allocator);
  }

  public RemoteOfflineStore(Location location, BufferAllocator allocator, int putBatchRows) {
    this(location, ClientOptions.defaults().withPutBatchRows(putBatchRows), allocator);
  }

  /**
   * A client of the server at {@code location}; the options carry TLS exactly when the location is
   * {@code grpc+tls}.
   */
  public RemoteOfflineStore(Location location, ClientOptions options, BufferAllocator allocator) {
    requireNonNull(location, "location is null");
    requireNonNull(options, "options is null");
    requireNonNull(allocator, "allocator is null");
    boolean tlsLocation = "grpc+tls".equals(location.getUri().getScheme());
    if (tlsLocation != options.tls().isPresent()) {
      throw new IllegalArgumentException(
          "location " + location.getUri() + " and TLS options disagree: give both or neither");
    }
    this.allocator = allocator.newChildAllocator("flightdeck-client", 0, allocator.getLimit());
    try {
      this.connections = new Connections(location, options, this.allocator);
      this.client = connections.client();
      this.calls = connections.calls();
      this.sender = new ParamSender(client, calls, this.allocator, options.putBatchRows());
    } catch (RuntimeException e) {
      this.allocator.close();
      throw e;
    }
  }

  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    requireNonNull(request, "request is null");
    return job(
        Api.GET_HISTORICAL_FEATURES,
        alloc -> HistoricalFeaturesCodec.encodeOptions(request, alloc),
        request.hasEntityRows() ? Map.of(Api.Param.ENTITY_DF, request.entityRows()) : Map.of());
  }

  @Override
  public RetrievalJob pullLatestFromTableOrQuery(PullRequest request) {
    requireNonNull(request, "request is null");
    return job(
        Api.PULL_LATEST_FROM_TABLE_OR_QUERY, alloc -> PullCodec.encode(request, alloc), Map.of());
  }

  @Override
  public RetrievalJob pullAllFromTableOrQuery(PullRequest request) {
    requireNonNull(request, "request is null");
    return job(
        Api.PULL_ALL_FROM_TABLE_OR_QUERY, alloc -> PullCodec.encode(request, alloc), Map.of());
  }

  @Override
  public long offlineWriteBatch(String featureView, VectorSchemaRoot table) {
    requireNonNull(table, "table is null");
    String commandId =
        send(
                Api.OFFLINE_WRITE_BATCH,
                alloc ->
                    Map.of(
                        Api.Param.FEATURE_VIEW, name(Api.Param.FEATURE_VIEW, featureView, alloc)),
                Map.of(Api.Param.TABLE, table))
            .commandId();
    return action(Api.OFFLINE_WRITE_BATCH.wireName(), commandId, ActionJson.Rows.class).rows();
  }

  @Override
  public long writeLoggedFeatures(String featureService, VectorSchemaRoot logs) {
    requireNonNull(logs, "logs is null");
    String commandId =
        send(
                Api.WRITE_LOGGED_FEATURES,
                alloc ->
                    Map.of(
                        Api.Param.FEATURE_SERVICE,
                        name(Api.Param.FEATURE_SERVICE, featureService, alloc)),
                Map.of(Api.Param.DATA, logs))
            .commandId();
    return action(Api.WRITE_LOGGED_FEATURES.wireName(), commandId, ActionJson.Rows.class).rows();
  }

  @Override
  public void validateDataSource(String dataSource) {
    String commandId =
        send(
                Api.VALIDATE_DATA_SOURCE,
                alloc ->
                    Map.of(
                        Api.Param.DATA_SOURCE_NAME,
                        name(Api.Param.DATA_SOURCE_NAME, dataSource, alloc)),
                Map.of())
            .commandId();
    action(Api.VALIDATE_DATA_SOURCE.wireName(), commandId, ActionJson.Validation.class);
  }

  @Override
  public List<SourceColumn> getTableColumnNamesAndTypes(String dataSource) {
    try (RetrievalJob job =
            job(
                Api.GET_TABLE_COLUMN_NAMES_AND_TYPES,
                alloc ->
                    Map.of(
                        Api.Param.DATA_SOURCE_NAME,
                        name(Api.Param.DATA_SOURCE_NAME, dataSource, alloc)),
                Map.of());
        VectorSchemaRoot table = job.toArrow(allocator)) {
      VarCharVector names = (VarCharVector) table.getVector("name");
      VarCharVector types = (VarCharVector) table.getVector("type");
      List<SourceColumn> columns = new ArrayList<>();
      for (int row = 0; row < table.getRowCount(); row++) {
        columns.add(
            new SourceColumn(new String(names.get(row), UTF_8), new String(types.get(row), UTF_8)));
      }
      return columns;
    }
  }

  /** The server's repository: its entities, sources, views and services, never its paths. */
  public RepositoryDescription describe() {
    return ActionJson.read(
        runAction(new Action("describe", new byte[0])), RepositoryDescription.class, "describe");
  }

  /** The actions the server serves. */
  public List<ActionType> listActions() {
    List<ActionType> types = new ArrayList<>();
    calls.call(() -> client.listActions()).forEach(types::add);
    return types;
  }

  /** Closes the store's connection, and those it made to locations servers advertised. */
  @Override
  public void close() {
    try {
      connections.close();
    } finally {
      allocator.close();
    }
  }

  // ---- the generic call shape

  /** Encodes a call's small params (closed after sending); the caller's tables are only read. */
  private interface Encoder extends Function<BufferAllocator, Map<String, VectorSchemaRoot>> {}

  private RetrievalJob job(Api api, Encoder encoder, Map<String, VectorSchemaRoot> tables) {
    return new RemoteRetrievalJob(
        connections,
        send(api, encoder, tables),
        () -> send(api, encoder, tables),
        this::persist,
        this::cancel);
  }

  /** One do_put per parameter under a new command id; returns it, and where to fetch it. */
  private RemoteRetrievalJob.Sent send(
      Api api, Encoder encoder, Map<String, VectorSchemaRoot> tables) {
    String commandId = CommandIds.newId();
    Map<String, VectorSchemaRoot> params = encoder.apply(allocator);
    try {
      // The small params go first: the server can act on the feature list (start loading cold
      // views) while a large entity table is still on its way.
      Map<String, VectorSchemaRoot> all = new LinkedHashMap<>(params);
      all.putAll(tables);
      return new RemoteRetrievalJob.Sent(commandId, sender.send(commandId, api, all));
    } finally {
      params.values().forEach(VectorSchemaRoot::close);
    }
  }

  private long persist(String commandId, String destination, boolean allowOverwrite) {
    byte[] body =
        ActionJson.write(new ActionJson.PersistRequest(commandId, destination, allowOverwrite));
    return ActionJson.read(runAction(new Action("persist", body)), ActionJson.Rows.class, "persist")
        .rows();
  }

  /** Drops a command the server still holds; a failure only means it is gone already. */
  private void cancel(String commandId) {
    try {
      runAction(new Action("cancel", commandId.getBytes(StandardCharsets.UTF_8)));
    } catch (FlightdeckException e) {
      // expired, or the server stopped: nothing left to free
    }
  }

  private <T> T action(String type, String commandId, Class<T> answer) {
    return ActionJson.read(
        runAction(new Action(type, commandId.getBytes(StandardCharsets.UTF_8))), answer, type);
  }

  private byte[] runAction(Action action) {
    return calls.call(
        () -> {
          Iterator<Result> results = client.doAction(action);
          if (!results.hasNext()) {
            throw new FlightdeckException(
                ErrorCode.INTERNAL_ERROR, "action '" + action.getType() + "' answered nothing");
          }
          byte[] body = results.next().getBody();
          results.forEachRemaining(ignored -> {});
          return body;
        });
  }

  private static VectorSchemaRoot name(String param, String value, BufferAllocator allocator) {
    requireNonNull(value, param + " is null");
    return ParamTables.strings(param, List.of(value), allocator);
  }
}
