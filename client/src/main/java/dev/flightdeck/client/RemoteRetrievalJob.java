package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A retrieval whose parameters the server already holds. Nothing runs until {@link #stream()} (or
 * {@link #toArrow}) makes the do_get; it can run once, since the server forgets a command it
 * served.
 */
final class RemoteRetrievalJob implements RetrievalJob {
  private final FlightClient client;
  private final String commandId;
  private final AtomicBoolean ran = new AtomicBoolean();
  private volatile Schema schema;

  RemoteRetrievalJob(FlightClient client, String commandId) {
    this.client = requireNonNull(client, "client is null");
    this.commandId = CommandIds.check(commandId);
  }

  String commandId() {
    return commandId;
  }

  /**
   * The result's schema: before the run from getFlightInfo (the server computes it without reading
   * data), after it the schema the stream carried.
   */
  @Override
  public Schema schema() {
    Schema known = schema;
    if (known == null) {
      if (ran.get()) {
        throw alreadyRan();
      }
      known = RemoteCalls.call(() -> client.getInfo(CommandIds.descriptor(commandId)).getSchema());
      schema = known;
    }
    return known;
  }

  @Override
  public RecordBatchStream stream() {
    if (!ran.compareAndSet(false, true)) {
      throw alreadyRan();
    }
    FlightRecordBatchStream stream =
        new FlightRecordBatchStream(
            RemoteCalls.call(() -> client.getStream(CommandIds.ticket(commandId))));
    if (schema == null) {
      // Remembered so schema() still answers after the run, when the server no longer knows the
      // command.
      try {
        schema = stream.schema();
      } catch (RuntimeException e) {
        stream.close();
        throw e;
      }
    }
    return stream;
  }

  /**
   * Nothing to free here: the parameters live on the server, which drops a command never fetched
   * after its pending-command TTL. A closed job no longer runs.
   */
  @Override
  public void close() {
    ran.set(true);
  }

  private FlightdeckException alreadyRan() {
    return new FlightdeckException(
        ErrorCode.UNKNOWN_COMMAND,
        "remote retrieval job for command "
            + commandId
            + " has already run or was closed; remote jobs run once: call getHistoricalFeatures again");
  }
}
