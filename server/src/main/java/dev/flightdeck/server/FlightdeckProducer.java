package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.server.auth.Authorization;
import dev.flightdeck.server.auth.Principal;
import dev.flightdeck.server.auth.Role;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Flight face of Flightdeck: do_put collects a command's parameters, getFlightInfo answers the
 * result's schema, do_get runs the command. Each call is parsed and checked here once, then handed
 * to the API's {@link ApiHandler}; anything else Flight offers is refused by {@link
 * NoOpFlightProducer}.
 */
public final class FlightdeckProducer extends NoOpFlightProducer {
  private final PendingCommands pending;
  private final ResultStreamer streamer;
  private final Map<Api, ApiHandler> handlers;
  private final ActionDispatcher actions;
  private final Authorization authorization;
  private final Limits limits;

  @Inject
  public FlightdeckProducer(
      PendingCommands pending,
      ResultStreamer streamer,
      OfflineStore store,
      List<ApiHandler> handlers,
      List<ActionApiHandler> actionHandlers,
      Authorization authorization,
      ServerConfig config) {
    this.pending = requireNonNull(pending, "pending is null");
    this.authorization = requireNonNull(authorization, "authorization is null");
    this.limits = requireNonNull(config, "config is null").limits();
    this.streamer = requireNonNull(streamer, "streamer is null");
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
  }

  @Override
  public Runnable acceptPut(
      CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
    return () -> {
      try {
        String descriptorId = CommandIds.fromDescriptor(stream.getDescriptor());
        CommandHeader header = CommandHeader.fromSchema(stream.getSchema());
        if (!header.commandId().equals(descriptorId)) {
          throw new FlightdeckException(
              ErrorCode.MALFORMED_COMMAND,
              "descriptor names command "
                  + descriptorId
                  + " but the schema's 'command' metadata is "
                  + header.commandId()
                  + "; they must be equal");
        }
        // Checked before a byte of the stream is read: a refused put stores nothing.
        Principal principal =
            authorization.require(
                context, Authorization.roleOf(header.api()), header.api().wireName());
        pending.receive(
            header, principal.name(), allocator -> ParamStreams.readAll(stream, allocator));
        ackStream.onCompleted();
      } catch (RuntimeException e) {
        ackStream.onError(ServerErrors.toFlight("do_put", e));
      }
    };
  }

  @Override
  public void doAction(CallContext context, Action action, StreamListener<Result> listener) {
    try {
      Principal principal =
          authorization.require(context, actions.roleOf(action.getType()), action.getType());
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
    } catch (RuntimeException e) {
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
    try {
      Principal principal = authorization.require(context, Role.READ, "get_flight_info");
      String commandId = CommandIds.fromDescriptor(descriptor);
      Schema schema =
          pending.inspect(
              commandId,
              principal.name(),
              command -> {
                ApiHandler handler = handlers.get(command.api());
                if (handler == null) {
                  throw noData(command);
                }
                try (RetrievalJob job = handler.open(command.params())) {
                  return job.schema();
                }
              });
      return new FlightInfo(
          schema, descriptor, List.of(new FlightEndpoint(CommandIds.ticket(commandId))), -1, -1);
    } catch (RuntimeException e) {
      throw ServerErrors.toFlight("get_flight_info", e);
    }
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    PendingCommand command;
    try {
      Principal principal = authorization.require(context, Role.READ, "do_get");
      command = pending.take(CommandIds.fromTicket(ticket), principal.name());
    } catch (RuntimeException e) {
      listener.error(ServerErrors.toFlight("do_get", e));
      return;
    }
    ApiHandler handler = handlers.get(command.api());
    if (handler == null) {
      command.close();
      listener.error(ServerErrors.toFlight("do_get", noData(command)));
      return;
    }
    streamer.submit(command, handler, listener);
  }

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
