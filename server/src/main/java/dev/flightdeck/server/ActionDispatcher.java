package dev.flightdeck.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.ActionJson;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.RepositoryDescription;
import dev.flightdeck.server.auth.Authorization;
import dev.flightdeck.server.auth.Role;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.ActionType;

/**
 * Every {@code do_action} the server serves, in one place: the APIs that return no data (run on a
 * command whose parameters were put), {@code persist} of a data command, {@code cancel} and {@code
 * describe}. Each answers one JSON body.
 */
final class ActionDispatcher {
  static final String PERSIST = "persist";
  static final String CANCEL = "cancel";
  static final String DESCRIBE = "describe";
  static final String HEALTH = "health";

  private final PendingCommands pending;
  private final OfflineStore store;
  private final Map<Api, ApiHandler> dataHandlers;
  private final Map<Api, ActionApiHandler> actionHandlers;
  private final Map<String, String> descriptions = new LinkedHashMap<>();

  ActionDispatcher(
      PendingCommands pending,
      OfflineStore store,
      Map<Api, ApiHandler> dataHandlers,
      Map<Api, ActionApiHandler> actionHandlers) {
    this.pending = requireNonNull(pending, "pending is null");
    this.store = requireNonNull(store, "store is null");
    this.dataHandlers = Map.copyOf(dataHandlers);
    this.actionHandlers = Map.copyOf(actionHandlers);
    for (Api api : Api.values()) {
      if (api.result() == Api.Result.ACTION) {
        descriptions.put(
            api.wireName(),
            "Runs "
                + api.wireName()
                + " on the command named by the body (its id, UTF-8), whose"
                + " params were put; answers JSON.");
      }
    }
    descriptions.put(
        PERSIST,
        "Runs a data command and stores its result on the server. Body: JSON {\"command\","
            + " \"destination\", \"allow_overwrite\"}; answers {\"rows\"}.");
    descriptions.put(CANCEL, "Drops a pending command and its params. Body: the command id.");
    descriptions.put(
        DESCRIBE, "Answers the repository's entities, sources, views and services as JSON.");
    descriptions.put(
        HEALTH,
        "Answers {\"status\": \"serving\"} while the server takes commands, UNAVAILABLE once it"
            + " is shutting down. Needs no credential.");
  }

  List<ActionType> actionTypes() {
    List<ActionType> types = new ArrayList<>();
    descriptions.forEach((type, description) -> types.add(new ActionType(type, description)));
    return types;
  }

  /** The role an action needs: persist stores a result, an API action its API's role. */
  Role roleOf(String type) {
    if (type.equals(PERSIST)) {
      return Role.WRITE;
    }
    for (Api api : Api.values()) {
      if (api.wireName().equals(type)) {
        return Authorization.roleOf(api);
      }
    }
    return Role.READ;
  }

  /** Runs the action for {@code principal}, on its own commands only; returns its JSON answer. */
  byte[] run(String type, byte[] body, String principal) {
    Object answer;
    switch (type) {
      case PERSIST:
        answer =
            persist(ActionJson.read(body, ActionJson.PersistRequest.class, PERSIST), principal);
        break;
      case CANCEL:
        String id = commandId(body);
        pending.take(id, principal).close();
        answer = new ActionJson.Cancelled(id);
        break;
      case DESCRIBE:
        answer =
            RepositoryDescription.of(
                store
                    .repository()
                    .orElseThrow(
                        () ->
                            new FlightdeckException(
                                ErrorCode.NOT_CONFIGURED,
                                "this server's store has no repository to describe")));
        break;
      default:
        answer = runApi(type, body, principal);
    }
    return ActionJson.write(answer);
  }

  private Object runApi(String type, byte[] body, String principal) {
    Api api = api(type);
    String id = commandId(body);
    try (PendingCommand command = pending.take(id, principal)) {
      if (command.api() != api) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "action '"
                + type
                + "' on command "
                + id
                + ", whose params were put for api '"
                + command.api().wireName()
                + "'");
      }
      return actionHandlers.get(api).run(command.params());
    }
  }

  private Object persist(ActionJson.PersistRequest request, String principal) {
    String id = CommandIds.check(request.command());
    if (request.destination() == null) {
      // Checked before the command is taken: a refused persist leaves it pending.
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER, "action 'persist' needs a 'destination', not null");
    }
    try (PendingCommand command = pending.take(id, principal)) {
      ApiHandler handler = dataHandlers.get(command.api());
      if (handler == null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "persist needs a command of an api that returns data; command "
                + id
                + " is for '"
                + command.api().wireName()
                + "'");
      }
      try (RetrievalJob job = handler.open(command.params())) {
        return new ActionJson.Rows(job.persist(request.destination(), request.allowOverwrite()));
      }
    }
  }

  private Api api(String type) {
    for (Api api : Api.values()) {
      if (api.wireName().equals(type)) {
        if (api.result() == Api.Result.ACTION) {
          return api;
        }
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "api '"
                + type
                + "' returns data: fetch it with do_get on the command's ticket, not with"
                + " do_action");
      }
    }
    throw new FlightdeckException(
        ErrorCode.UNKNOWN_API,
        "unknown action '" + type + "' (known: " + String.join(", ", descriptions.keySet()) + ")");
  }

  private static String commandId(byte[] body) {
    return CommandIds.check(new String(body, UTF_8).trim());
  }
}
