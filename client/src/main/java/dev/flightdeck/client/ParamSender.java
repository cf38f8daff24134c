package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Sends a command's parameter tables, one do_put each, in batches of at most {@code batchRows}
 * rows, under schemas tagged with the command header. The puts overlap: each is sent and
 * half-closed before the first answer is awaited, so a call pays one round trip for its puts rather
 * than one per parameter. The caller's tables are only read.
 */
final class ParamSender {
  /** A location is a short URI; anything longer in a put's answer is not one. */
  private static final int MAX_LOCATION_BYTES = 2_048;

  private final FlightClient client;
  private final BufferAllocator allocator;
  private final int batchRows;
  private final RemoteCalls calls;

  ParamSender(FlightClient client, RemoteCalls calls, BufferAllocator allocator, int batchRows) {
    this.client = requireNonNull(client, "client is null");
    this.calls = requireNonNull(calls, "calls is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
    }
    this.batchRows = batchRows;
  }

  /**
   * Sends every table of {@code params} (param name to table) under {@code commandId} and {@code
   * api}; returns once the server has accepted them all, or throws the first refusal.
   *
   * @return where the server said to fetch the command from (its {@code --advertise} location, in
   *     the put answers' metadata), or nothing: its own connection
   */
  Optional<Location> send(String commandId, Api api, Map<String, VectorSchemaRoot> params) {
    List<OpenPut> puts = new ArrayList<>();
    try {
      // Every stream is opened before the first batch is sent: a new stream becomes ready a
      // thread hand-off or two later, and the puts then wait for that together, not in turn.
      for (Map.Entry<String, VectorSchemaRoot> param : params.entrySet()) {
        OpenPut put = new OpenPut(new CommandHeader(commandId, api, param.getKey()));
        puts.add(put);
        put.open(param.getValue().getSchema());
      }
      int next = 0;
      for (VectorSchemaRoot table : params.values()) {
        puts.get(next++).sendAll(table);
      }
      // The server's verdict on each parameter: a refused one raises its FlightdeckException.
      Optional<Location> location = Optional.empty();
      for (OpenPut put : puts) {
        calls.run(put.stream::getResult);
        location = location.or(() -> put.outcome.location);
      }
      return location;
    } catch (RuntimeException e) {
      // Streams opened but never finished would hold the server's put slots until its idle timeout.
      puts.forEach(put -> put.abandon(e));
      throw e;
    } finally {
      puts.forEach(OpenPut::close);
    }
  }

  /** A put's outcome, and the location its answer names, if any (docs/protocol.md). */
  private static final class LocatingListener extends AsyncPutListener {
    private volatile Optional<Location> location = Optional.empty();

    @Override
    public void onNext(PutResult result) {
      ArrowBuf metadata = result.getApplicationMetadata();
      // Longer than any location: not one, and never cut into one that would parse.
      if (metadata != null
          && metadata.readableBytes() > 0
          && metadata.readableBytes() <= MAX_LOCATION_BYTES) {
        byte[] bytes = new byte[(int) metadata.readableBytes()];
        metadata.getBytes(metadata.readerIndex(), bytes);
        try {
          location = Optional.of(new Location(new String(bytes, StandardCharsets.UTF_8)));
        } catch (URISyntaxException e) {
          // Not a location: fetch over the store's own connection, as from a server without one.
        }
      }
    }
  }

  /** One do_put under way; its outgoing root lives until the server has answered. */
  private final class OpenPut implements AutoCloseable {
    private final CommandHeader header;
    private VectorSchemaRoot outgoing;
    private FlightClient.ClientStreamListener stream;
    private LocatingListener outcome;
    private boolean finished;

    OpenPut(CommandHeader header) {
      this.header = header;
    }

    /** Starts the do_put: its schema message goes out now, its batches with {@link #sendAll}. */
    void open(Schema schema) {
      outgoing = VectorSchemaRoot.create(header.tag(schema), allocator);
      outcome = new LocatingListener();
      stream =
          calls.call(
              () -> client.startPut(CommandIds.descriptor(header.commandId()), outgoing, outcome));
    }

    void sendAll(VectorSchemaRoot table) {
      try {
        VectorLoader loader = new VectorLoader(outgoing);
        int rows = table.getRowCount();
        for (int offset = 0; offset < rows; offset += batchRows) {
          // Slices share the table's buffers; the loader only retains them until the next batch.
          try (VectorSchemaRoot slice = table.slice(offset, Math.min(batchRows, rows - offset));
              ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
            loader.load(batch);
            awaitReady();
            stream.putNext();
          }
        }
        stream.completed();
        finished = true;
      } catch (RuntimeException e) {
        abandon(e);
        throw e;
      }
    }

    /** Ends an opened stream that was not sent whole, so the server drops it at once. */
    void abandon(RuntimeException cause) {
      if (stream != null && !finished) {
        finished = true;
        stream.error(cause);
      }
    }

    /**
     * Waits, parked, until the server can take the next batch: Flight's putNext waits for that by
     * spinning, which with many clients in one JVM burns the CPU the puts need.
     */
    private void awaitReady() {
      long pause = 10_000; // ns, doubling to 1 ms
      // A refused or failed put is never ready again: putNext and getResult then report why.
      while (!stream.isReady() && !outcome.isCancelled()) {
        LockSupport.parkNanos(pause);
        pause = Math.min(pause * 2, 1_000_000);
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          throw new FlightdeckException(
              ErrorCode.SERVER_UNAVAILABLE, "interrupted while waiting to send a parameter");
        }
      }
    }

    @Override
    public void close() {
      if (outgoing != null) {
        outgoing.close();
      }
    }
  }
}
