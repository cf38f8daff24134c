package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A retrieval whose parameters the server already holds. Nothing runs until {@link #stream()} (or
 * {@link #toArrow}) makes the do_get. The server forgets a command once it served it, so a second
 * run sends the parameters again under a new command id: like Feast's remote job, a job can be run
 * as often as wanted, while its request's entity rows stay open.
 */
final class RemoteRetrievalJob implements RetrievalJob {
  private final FlightClient client;
  private final RemoteCalls calls;
  private final Supplier<String> resend;
  private final Persister persister;
  private final Consumer<String> cancel;
  private String pendingCommand;
  private Schema schema;
  private boolean closed;

  /** Runs the {@code persist} action on a pending command; returns the rows stored. */
  interface Persister {
    long persist(String commandId, String destination, boolean allowOverwrite);
  }

  /**
   * @param pendingCommand the command whose parameters were put and not yet fetched
   * @param resend puts the parameters again and returns the new command's id
   * @param cancel drops a pending command on the server
   */
  RemoteRetrievalJob(
      FlightClient client,
      RemoteCalls calls,
      String pendingCommand,
      Supplier<String> resend,
      Persister persister,
      Consumer<String> cancel) {
    this.client = requireNonNull(client, "client is null");
    this.calls = requireNonNull(calls, "calls is null");
    this.pendingCommand = CommandIds.check(pendingCommand);
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
      String commandId = pending();
      schema = calls.call(() -> client.getInfo(CommandIds.descriptor(commandId)).getSchema());
    }
    return schema;
  }

  @Override
  public synchronized RecordBatchStream stream() {
    checkOpen();
    String commandId = pending();
    pendingCommand = null; // the do_get consumes it on the server, whatever its outcome
    FlightRecordBatchStream stream =
        new FlightRecordBatchStream(
            calls.call(() -> client.getStream(CommandIds.ticket(commandId))), calls);
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
    pendingCommand = null;
    return persister.persist(commandId, destination, allowOverwrite);
  }

  /** A command never fetched is cancelled, so the server frees its parameters now. */
  @Override
  public synchronized void close() {
    if (!closed && pendingCommand != null) {
      cancel.accept(pendingCommand);
    }
    closed = true;
    pendingCommand = null;
  }

  private String pending() {
    if (pendingCommand == null) {
      pendingCommand = resend.get();
    }
    return pendingCommand;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("retrieval job is closed");
    }
  }
}
