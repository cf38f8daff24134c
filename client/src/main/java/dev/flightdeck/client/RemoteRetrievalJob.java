package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
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
  private final Supplier<String> resend;
  private String pendingCommand;
  private Schema schema;
  private boolean closed;

  /**
   * @param pendingCommand the command whose parameters were put and not yet fetched
   * @param resend puts the parameters again and returns the new command's id
   */
  RemoteRetrievalJob(FlightClient client, String pendingCommand, Supplier<String> resend) {
    this.client = requireNonNull(client, "client is null");
    this.pendingCommand = CommandIds.check(pendingCommand);
    this.resend = requireNonNull(resend, "resend is null");
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
      schema = RemoteCalls.call(() -> client.getInfo(CommandIds.descriptor(commandId)).getSchema());
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
            RemoteCalls.call(() -> client.getStream(CommandIds.ticket(commandId))));
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

  // TODO(issue 3): temporary until persist lands in this module.
  @Override
  public long persist(String destination, boolean allowOverwrite) {
    throw new UnsupportedOperationException("persist");
  }

  /**
   * Nothing to free here: the parameters live on the server, which drops a command never fetched
   * after its pending-command TTL.
   */
  @Override
  public synchronized void close() {
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
