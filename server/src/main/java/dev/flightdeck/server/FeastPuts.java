package dev.flightdeck.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.ActionJson;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.server.audit.CallAudit;
import dev.flightdeck.server.auth.Authorization;
import dev.flightdeck.server.auth.Principal;
import dev.flightdeck.server.feast.FeastCommand;
import dev.flightdeck.server.feast.FeastRequest;
import dev.flightdeck.server.feast.FeastRequests;
import dev.flightdeck.server.feast.FeastTables;
import dev.flightdeck.spi.OfflineStore;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A {@code do_put} in Feast's dialect: one put carries a whole call. The descriptor's JSON becomes
 * the parameters of a Flightdeck command (kept in {@link PendingCommands}, so ownership, limits and
 * expiry hold as for Flightdeck's own puts) and the put's table becomes its table parameter unless
 * it is Feast's dummy. Calls that return no data run here, through the same {@link
 * ActionDispatcher} as Flightdeck's do_action; the others wait for get_flight_info and do_get.
 */
final class FeastPuts {
  /** The most Feast's one-row dummy table may take. */
  static final long DUMMY_BYTES = Limits.MIB;

  private final PendingCommands pending;
  private final ActionDispatcher actions;
  private final OfflineStore store;
  private final Authorization authorization;
  private final BufferAllocator allocator;
  private final IdleTimeout idle;
  private final Limits limits;

  FeastPuts(
      PendingCommands pending,
      ActionDispatcher actions,
      OfflineStore store,
      Authorization authorization,
      BufferAllocator allocator,
      IdleTimeout idle,
      Limits limits) {
    this.pending = requireNonNull(pending, "pending is null");
    this.actions = requireNonNull(actions, "actions is null");
    this.store = requireNonNull(store, "store is null");
    this.authorization = requireNonNull(authorization, "authorization is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.idle = requireNonNull(idle, "idle is null");
    this.limits = requireNonNull(limits, "limits is null");
  }

  void put(
      FlightDescriptor descriptor,
      FlightStream stream,
      Principal principal,
      Optional<CallAudit> audit) {
    FeastCommand command = FeastCommand.parse(descriptor.getCommand(), limits.actionBodyBytes());
    audit.ifPresent(
        a -> {
          a.api(ServerErrors.cut(command.api()));
          a.command(command.commandId());
        });
    FeastRequest request = FeastRequests.translate(command, store.repository());
    // Checked before a batch of the stream is read: a refused put stores nothing.
    authorization.require(request.role(), command.api());
    Schema schema = idle.await(stream::getSchema);
    boolean dummy = FeastTables.isDummy(schema);
    if (!dummy && request.tableParam().isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          command.api()
              + " takes no table: Feast's client sends a one-row dummy {\"key\": \"mock_key\"},"
              + " this put has columns "
              + ServerErrors.cut(
                  schema.getFields().stream().map(Field::getName).toList().toString()));
    }
    String id = request.commandId();
    boolean stored = false;
    try {
      long rows = 0;
      long bytes = 0;
      for (Map.Entry<String, PendingCommands.ParamReader> param : request.params().entrySet()) {
        PendingCommands.Received received =
            pending.receive(
                new CommandHeader(id, request.api(), param.getKey()),
                principal.name(),
                param.getValue());
        stored = true;
        rows += received.rows();
        bytes += received.bytes();
      }
      if (dummy) {
        drainDummy(stream, command.api());
      } else {
        PendingCommands.Received table =
            pending.receive(
                new CommandHeader(id, request.api(), request.tableParam().orElseThrow()),
                principal.name(),
                memory -> FeastTables.normalize(ParamStreams.readAll(stream, memory, idle)));
        rows += table.rows();
        bytes += table.bytes();
      }
      long receivedRows = rows;
      long receivedBytes = bytes;
      audit.ifPresent(a -> a.received(receivedRows, receivedBytes));
      if (request.persist().isPresent()) {
        FeastRequest.Persist persist = request.persist().get();
        actions.run(
            ActionDispatcher.PERSIST,
            ActionJson.write(
                new ActionJson.PersistRequest(id, persist.destination(), persist.allowOverwrite())),
            principal.name());
      } else if (request.runsInPut()) {
        actions.run(request.api().wireName(), id.getBytes(UTF_8), principal.name());
      }
    } catch (RuntimeException | Error e) {
      if (stored) {
        drop(id, principal);
      }
      throw e;
    }
  }

  /** Reads Feast's "no table" dummy into a small allocator of its own and forgets it. */
  private void drainDummy(FlightStream stream, String api) {
    try (BufferAllocator memory = allocator.newChildAllocator("feast-dummy", 0, DUMMY_BYTES);
        VectorSchemaRoot ignored = ParamStreams.readAll(stream, memory, idle)) {
      // read only to end the put cleanly
    } catch (OutOfMemoryException e) {
      throw new FlightdeckException(
          ErrorCode.LIMIT_EXCEEDED,
          api
              + ": the table of a call that takes none is Feast's one-row dummy; this one holds"
              + " more than "
              + Limits.bytes(DUMMY_BYTES),
          e);
    }
  }

  /** Drops a failed call's command, so nothing waits for a do_get that will not come. */
  void drop(String id, Principal principal) {
    try {
      pending.take(id, principal.name()).close();
    } catch (FlightdeckException e) {
      // already gone: a consumed or expired command
    }
  }
}
