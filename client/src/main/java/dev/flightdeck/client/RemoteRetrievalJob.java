package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.Location;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A retrieval whose parameters the server already holds. Nothing runs until {@link #stream()} (or
 * {@link #toArrow}) makes the do_get. The server forgets a command once it served it, so a second
 * run sends the parameters again under a new command id: like Feast's remote job, a job can be run
 * as often as wanted, while its request's entity rows stay open.
 *
 * <p>The do_get goes where the command's flight info says: to the location its endpoint names (the
 * replica holding the parameters, when servers advertise one), else over the store's connection.
 */
final class RemoteRetrievalJob implements RetrievalJob {
  private final Connections connections;
  private final Supplier<Sent> resend;
  private final Persister persister;
  private final Consumer<String> cancel;
  private Sent pendingCommand;

  /** The flight info of {@link #pendingCommand}, once asked for. */
  private FlightInfo pendingInfo;

  private Schema schema;
  private boolean closed;

  /** Runs the {@code persist} action on a pending command; returns the rows stored. */
  /**
   * A command whose parameters the server holds.
   *
   * @param location where its answers to the puts said to fetch it; empty: the same connection
   */
  record Sent(String commandId, Optional<Location> location) {
    Sent {
      CommandIds.check(commandId);
      requireNonNull(location, "location is null");
    }
  }

  interface Persister {
    long persist(String commandId, String destination, boolean allowOverwrite);
  }

  /**
   * @param pendingCommand the command whose parameters were put and not yet fetched
   * @param resend puts the parameters again and returns the new command
   * @param cancel drops a pending command on the server
   */
  RemoteRetrievalJob(
      Connections connections,
      Sent pendingCommand,
      Supplier<Sent> resend,
      Persister persister,
      Consumer<String> cancel) {
    this.connections = requireNonNull(connections, "connections is null");
    this.pendingCommand = requireNonNull(pendingCommand, "pendingCommand is null");
    this.resend = requireNonNull(resend, "resend is null");
    this.persister = requireNonNull(persister, "persister is null");
    this.cancel = requireNonNull(cancel, "cancel is null");
  }

  /**
   * The result's schema: before the first run from getFlightInfo (the server computes it without
   * reading data), after it the schema the stream carried.
   */
  @Override
  public synchronized Schema schema() {
    checkOpen();
    if (schema == null) {
      schema = pendingInfo().getSchema();
    }
    return schema;
  }

  @Override
  public synchronized RecordBatchStream stream() {
    checkOpen();
    String commandId = pending();
    FlightEndpoint endpoint;
    Connections.Lease connection;
    try {
      // The flight info, if schema() asked for it; else the endpoint the puts' answers named
      // (docs/protocol.md), which saves a round trip per run.
      endpoint =
          pendingInfo != null
              ? endpoint(pendingInfo)
              : new FlightEndpoint(
                  CommandIds.ticket(commandId),
                  pendingCommand.location().stream().toArray(Location[]::new));
      connection = connections.forEndpoint(endpoint);
    } catch (RuntimeException e) {
      // A run ends its command whatever the outcome, as a do_get would: the next run puts again.
      forget();
      try {
        cancel.accept(commandId);
      } catch (RuntimeException cancelFailure) {
        e.addSuppressed(cancelFailure); // the caller needs the first failure, not this one
      }
      throw e;
    }
    // The do_get consumes the command on the server, whatever its outcome.
    forget();
    FlightRecordBatchStream stream;
    try {
      stream =
          new FlightRecordBatchStream(
              connection.calls().call(() -> connection.client().getStream(endpoint.getTicket())),
              connection);
    } catch (RuntimeException e) {
      connection.close();
      throw e;
    }
    if (schema == null) {
      try {
        schema = stream.schema();
      } catch (RuntimeException e) {
        stream.close();
        throw e;
      }
    }
    return stream;
  }

  /** Runs the job on the server and stores its result there; the command is consumed. */
  @Override
  public synchronized long persist(String destination, boolean allowOverwrite) {
    checkOpen();
    String commandId = pending();
    forget();
    return persister.persist(commandId, destination, allowOverwrite);
  }

  /** A command never fetched is cancelled, so the server frees its parameters now. */
  @Override
  public synchronized void close() {
    if (!closed && pendingCommand != null) {
      cancel.accept(pendingCommand.commandId());
    }
    closed = true;
    forget();
  }

  private void forget() {
    pendingCommand = null;
    pendingInfo = null;
  }

  private String pending() {
    if (pendingCommand == null) {
      pendingCommand = resend.get();
    }
    return pendingCommand.commandId();
  }

  /**
   * The pending command's flight info, asked of the server that holds its parameters, over the
   * connection the parameters went on; the server computes it without reading data.
   */
  private FlightInfo pendingInfo() {
    String commandId = pending();
    if (pendingInfo == null) {
      try {
        pendingInfo =
            connections
                .calls()
                .call(() -> connections.client().getInfo(CommandIds.descriptor(commandId)));
      } catch (FlightdeckException e) {
        if (e.code() == ErrorCode.UNKNOWN_COMMAND) {
          // The server does not hold it (expired, or the connection now reaches another
          // replica): the next call puts the parameters again.
          forget();
        }
        throw e;
      }
    }
    return pendingInfo;
  }

  /** A Flightdeck command has one endpoint (docs/protocol.md). */
  private FlightEndpoint endpoint(FlightInfo info) {
    List<FlightEndpoint> endpoints = info.getEndpoints();
    if (endpoints.size() != 1) {
      throw new FlightdeckException(
          ErrorCode.INTERNAL_ERROR,
          "the server answered "
              + endpoints.size()
              + " endpoints for command "
              + pending()
              + "; a Flightdeck server answers one");
    }
    return endpoints.get(0);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("retrieval job is closed");
    }
  }
}
