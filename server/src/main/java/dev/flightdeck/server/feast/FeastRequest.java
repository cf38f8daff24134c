package dev.flightdeck.server.feast;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.protocol.Api;
import dev.flightdeck.server.PendingCommands;
import dev.flightdeck.server.auth.Authorization;
import dev.flightdeck.server.auth.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Feast call translated into a Flightdeck command: the Flightdeck API, its parameters made from
 * the descriptor's JSON, which parameter the put's table becomes (unless it is Feast's dummy), and
 * for {@code persist} where the result goes.
 *
 * @param feastApi the Feast method name the client called
 * @param params parameter tables by Flightdeck name, each made in the command's own memory
 * @param tableParam the parameter the put's table is, for APIs that take one
 * @param persist for Feast's {@code persist}: run the command and store its result
 */
public record FeastRequest(
    String commandId,
    String feastApi,
    Api api,
    Map<String, PendingCommands.ParamReader> params,
    Optional<String> tableParam,
    Optional<Persist> persist) {
  public FeastRequest {
    requireNonNull(commandId, "commandId is null");
    requireNonNull(feastApi, "feastApi is null");
    requireNonNull(api, "api is null");
    params = new LinkedHashMap<>(params);
    requireNonNull(tableParam, "tableParam is null");
    requireNonNull(persist, "persist is null");
  }

  @Override
  public Map<String, PendingCommands.ParamReader> params() {
    return java.util.Collections.unmodifiableMap(params);
  }

  /** The role the call needs: a persist stores a result, any other call its API's role. */
  public Role role() {
    return persist.isPresent() ? Role.WRITE : Authorization.roleOf(api);
  }

  /** Whether the call runs inside its put (it returns no data), rather than at do_get. */
  public boolean runsInPut() {
    return persist.isPresent() || api.result() == Api.Result.ACTION;
  }

  /** Where Feast's {@code persist} stores a retrieval's result. */
  public record Persist(String destination, boolean allowOverwrite) {
    public Persist {
      requireNonNull(destination, "destination is null");
    }
  }
}
