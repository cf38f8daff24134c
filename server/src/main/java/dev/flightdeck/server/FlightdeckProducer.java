package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.ActionJson;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.server.audit.CallAudit;
import dev.flightdeck.server.auth.Authorization;
import dev.flightdeck.server.auth.Principal;
import dev.flightdeck.server.auth.Role;
import dev.flightdeck.server.feast.FeastColumnsHandler;
import dev.flightdeck.server.feast.FeastCommand;
import dev.flightdeck.server.feast.FeastErrors;
import dev.flightdeck.server.feast.FeastStreamListener;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Flight face of Flightdeck: do_put collects a command's parameters, getFlightInfo answers the
 * result's schema, do_get runs the command. Each call is parsed and checked here once, then handed
 * to the API's {@link ApiHandler}; anything else Flight offers is refused by {@link
 * NoOpFlightProducer}.
 *
 * <p>Feast's remote client speaks its own dialect on the same port: its descriptors and tickets are
 * JSON objects where Flightdeck's are command ids. Its puts go to {@link FeastPuts}; its
 * getFlightInfo and do_get take the same path as Flightdeck's, with errors in Feast's form.
 */
public final class FlightdeckProducer extends NoOpFlightProducer {
  private final PendingCommands pending;
  private final ResultStreamer streamer;
  private final Map<Api, ApiHandler> handlers;
  private final ActionDispatcher actions;
  private final Authorization authorization;
  private final Limits limits;
  private final OfflineStore store;
  private final ServingState state;
  private final IdleTimeout idle;
  private final CallSlots puts;
  private final CallSlots streams;
  private final Map<Api, ApiHandler> feastHandlers;
  private final FeastPuts feast;
  private final Location[] advertised;
  private final BufferAllocator allocator;

  @Inject
  public FlightdeckProducer(
      PendingCommands pending,
      ResultStreamer streamer,
      OfflineStore store,
      List<ApiHandler> handlers,
      List<ActionApiHandler> actionHandlers,
      Authorization authorization,
      ServingState state,
      ScheduledExecutorService timer,
      ServerConfig config,
      BufferAllocator allocator) {
    this.pending = requireNonNull(pending, "pending is null");
    this.authorization = requireNonNull(authorization, "authorization is null");
    this.state = requireNonNull(state, "state is null");
    this.limits = requireNonNull(config, "config is null").limits();
    this.store = requireNonNull(store, "store is null");
    this.streamer = requireNonNull(streamer, "streamer is null");
    this.idle = new IdleTimeout(timer, config.putIdleTimeout());
    this.puts = new CallSlots("puts", limits.putsPerPrincipal(), "--max-puts-per-principal");
    this.streams =
        new CallSlots(
            "result streams", limits.streamsPerPrincipal(), "--max-streams-per-principal");
    Map<Api, ApiHandler> byApi = new EnumMap<>(Api.class);
    requireNonNull(handlers, "handlers is null")
        .forEach(handler -> byApi.put(handler.api(), handler));
    Map<Api, ActionApiHandler> actionsByApi = new EnumMap<>(Api.class);
    requireNonNull(actionHandlers, "actionHandlers is null")
        .forEach(handler -> actionsByApi.put(handler.api(), handler));
    for (Api api : Api.values()) {
      boolean handled =
          api.result() == Api.Result.DATA ? byApi.containsKey(api) : actionsByApi.containsKey(api);
      if (!handled) {
        throw new IllegalArgumentException("no handler for api '" + api.wireName() + "'");
      }
    }
    this.handlers = byApi;
    this.actions = new ActionDispatcher(pending, store, byApi, actionsByApi);
    Map<Api, ApiHandler> feastByApi = new EnumMap<>(byApi);
    feastByApi.put(
        Api.GET_TABLE_COLUMN_NAMES_AND_TYPES,
        new FeastColumnsHandler(byApi.get(Api.GET_TABLE_COLUMN_NAMES_AND_TYPES), allocator));
    this.feastHandlers = feastByApi;
    this.feast = new FeastPuts(pending, actions, store, authorization, allocator, idle, limits);
    this.advertised = config.advertise().map(Location::new).stream().toArray(Location[]::new);
    this.allocator = allocator;
  }

  /** do_puts being received now. */
  int openPuts() {
    return puts.inUse();
  }

  @Override
  public Runnable acceptPut(
      CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
    return () -> {
      Optional<CallAudit> audit = CallAudit.current();
      boolean feastDialect = false;
      try {
        Principal principal = authorization.principal();
        state.requireServing();
        try (CallSlots.Slot slot = puts.acquire(principal.name())) {
          FlightDescriptor descriptor = idle.await(stream::getDescriptor);
          feastDialect = FeastCommand.isFeast(descriptor);
          if (feastDialect) {
            feast.put(descriptor, stream, principal, audit);
          } else {
            receiveParam(descriptor, stream, principal, audit);
            answerWithLocation(ackStream);
          }
        }
        ackStream.onCompleted();
      } catch (IdleTimeout.Expired e) {
        ackStream.onError(
            failure(
                feastDialect,
                "do_put",
                new FlightdeckException(
                    ErrorCode.LIMIT_EXCEEDED,
                    "the client sent nothing for "
                        + idle.timeout()
                        + " (--put-idle-timeout); the put was dropped",
                    e)));
      } catch (Throwable e) {
        ackStream.onError(failure(feastDialect, "do_put", e));
      }
    };
  }

  /**
   * With --advertise, a put's answer carries this replica's location as application metadata, so
   * that the client can fetch from it without asking for the flight info first (docs/protocol.md).
   */
  private void answerWithLocation(StreamListener<PutResult> ackStream) {
    if (advertised.length == 0) {
      return;
    }
    byte[] location = advertised[0].getUri().toString().getBytes(StandardCharsets.UTF_8);
    ArrowBuf metadata = allocator.buffer(location.length);
    metadata.writeBytes(location);
    try (PutResult answer = PutResult.metadata(metadata)) {
      ackStream.onNext(answer); // copies the bytes into the message
    }
  }

  private void receiveParam(
      FlightDescriptor descriptor,
      FlightStream stream,
      Principal principal,
      Optional<CallAudit> audit) {
    String descriptorId = CommandIds.fromDescriptor(descriptor);
    CommandHeader header = CommandHeader.fromSchema(idle.await(stream::getSchema));
    audit.ifPresent(
        a -> {
          a.api(header.api().wireName());
          a.command(header.commandId());
        });
    if (!header.commandId().equals(descriptorId)) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "descriptor names command "
              + descriptorId
              + " but the schema's 'command' metadata is "
              + header.commandId()
              + "; they must be equal");
    }
    // Checked before a batch of the stream is read: a refused put stores nothing.
    authorization.require(Authorization.roleOf(header.api()), header.api().wireName());
    PendingCommands.Received received =
        pending.receive(
            header,
            principal.name(),
            allocator -> {
              VectorSchemaRoot table = ParamStreams.readAll(stream, allocator, idle);
              announceFeatures(header, table);
              return table;
            });
    audit.ifPresent(a -> a.received(received.rows(), received.bytes()));
  }

  /**
   * Tells the store which features a get_historical_features will read as soon as their list
   * arrives: the Java client sends it before the entity rows, so the store can load cold views
   * while those are still on the wire. A list the retrieval would refuse is not announced.
   */
  private void announceFeatures(CommandHeader header, VectorSchemaRoot table) {
    if (header.api() != Api.GET_HISTORICAL_FEATURES || !header.param().equals(Api.Param.FEATURES)) {
      return;
    }
    List<String> references;
    try {
      references = ParamTables.readStrings(Api.Param.FEATURES, table);
    } catch (RuntimeException e) {
      return; // the retrieval reports the malformed list
    }
    if (references.size() <= limits.featureReferences()) {
      store.prefetch(references);
    }
  }

  /** The status a failed call answers, in the dialect of its caller. */
  private static FlightRuntimeException failure(boolean feastDialect, String call, Throwable e) {
    FlightRuntimeException status = ServerErrors.toFlight(call, e);
    return feastDialect ? FeastErrors.toFeast(status) : status;
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    CallAudit.current().ifPresent(a -> a.api(ServerErrors.cut(action.getType())));
    try {
      if (action.getType().equals(ActionDispatcher.HEALTH)) {
        // No credential needed: load balancers and orchestrators probe it.
        state.requireServing();
        listener.onNext(new Result(ActionJson.write(new ActionJson.Health("serving"))));
        listener.onCompleted();
        return;
      }
      Principal principal =
          authorization.require(actions.roleOf(action.getType()), action.getType());
      if (action.getBody().length > limits.actionBodyBytes()) {
        throw new FlightdeckException(
            ErrorCode.LIMIT_EXCEEDED,
            "the body of action '"
                + ServerErrors.cut(action.getType())
                + "' has "
                + action.getBody().length
                + " bytes, more than the "
                + Limits.bytes(limits.actionBodyBytes())
                + " allowed (--max-action-bytes)");
      }
      listener.onNext(
          new Result(actions.run(action.getType(), action.getBody(), principal.name())));
      listener.onCompleted();
    } catch (Throwable e) {
      listener.onError(ServerErrors.toFlight("do_action " + action.getType(), e));
    }
  }

  @Override
  public void listActions(CallContext context, StreamListener<ActionType> listener) {
    actions.actionTypes().forEach(listener::onNext);
    listener.onCompleted();
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    boolean feastDialect = FeastCommand.isFeast(descriptor);
    try {
      Principal principal = authorization.require(Role.READ, "get_flight_info");
      String commandId =
          feastDialect
              ? FeastCommand.parse(descriptor.getCommand(), limits.actionBodyBytes()).commandId()
              : CommandIds.fromDescriptor(descriptor);
      CallAudit.current().ifPresent(a -> a.command(commandId));
      Map<Api, ApiHandler> served = feastDialect ? feastHandlers : handlers;
      ResultShape shape;
      try {
        shape =
            pending.inspect(
                commandId,
                principal.name(),
                command -> {
                  ApiHandler handler = served.get(command.api());
                  if (handler == null) {
                    throw noData(command);
                  }
                  try (RetrievalJob job = handler.open(command.params())) {
                    return new ResultShape(job.schema(), handler.ordered(command.params()));
                  }
                });
      } catch (RuntimeException e) {
        if (feastDialect
            && !(e instanceof FlightdeckException refusal
                && refusal.code() == ErrorCode.UNKNOWN_COMMAND)) {
          // Feast's client never fetches a call whose flight info failed: free it now.
          feast.drop(commandId, principal);
        }
        throw e;
      }
      Ticket ticket = feastDialect ? FeastCommand.ticket(commandId) : CommandIds.ticket(commandId);
      // With --advertise the endpoint names this replica, so that a client behind a balancer
      // that spreads calls can still fetch from the replica holding the command.
      return FlightInfo.builder(
              shape.schema(), descriptor, List.of(new FlightEndpoint(ticket, advertised)))
          .setOrdered(shape.ordered())
          .build();
    } catch (Throwable e) {
      throw failure(feastDialect, "get_flight_info", e);
    }
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    Optional<CallAudit> audit = CallAudit.current();
    boolean feastDialect = FeastCommand.isFeast(ticket);
    ServerStreamListener out = feastDialect ? new FeastStreamListener(listener) : listener;
    PendingCommand command;
    CallSlots.Slot slot = null;
    try {
      Principal principal = authorization.require(Role.READ, "do_get");
      String commandId =
          feastDialect
              ? FeastCommand.commandIdOf(ticket, limits.actionBodyBytes())
              : CommandIds.fromTicket(ticket);
      audit.ifPresent(a -> a.command(commandId));
      slot = streams.acquire(principal.name());
      command = pending.take(commandId, principal.name());
    } catch (Throwable e) {
      if (slot != null) {
        slot.close();
      }
      out.error(ServerErrors.toFlight("do_get", e));
      return;
    }
    audit.ifPresent(a -> a.api(command.api().wireName()));
    ApiHandler handler = (feastDialect ? feastHandlers : handlers).get(command.api());
    if (handler == null) {
      command.close();
      slot.close();
      out.error(ServerErrors.toFlight("do_get", noData(command)));
      return;
    }
    streamer.submit(command, handler, out, audit, slot::close);
  }

  /** What getFlightInfo tells of a command's result, read under the command's lock. */
  private record ResultShape(Schema schema, boolean ordered) {}

  private static FlightdeckException noData(PendingCommand command) {
    return new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        "api '"
            + command.api().wireName()
            + "' returns no data: run it with do_action '"
            + command.api().wireName()
            + "' and the command id "
            + command.id());
  }
}
