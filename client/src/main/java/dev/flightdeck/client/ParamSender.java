package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * Sends one parameter table with one do_put, in batches of at most {@code batchRows} rows, under a
 * schema tagged with the command header. The caller's table is only read.
 */
final class ParamSender {
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
   * Waits, parked, until the server can take the next batch: Flight's putNext waits for that by
   * spinning, which with many clients in one JVM burns the CPU the puts need.
   */
  private static void awaitReady(FlightClient.ClientStreamListener put, AsyncPutListener outcome) {
    long pause = 10_000; // ns, doubling to 1 ms
    // A refused or failed put is never ready again: putNext and getResult then report why.
    while (!put.isReady() && !outcome.isCancelled()) {
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 1_000_000);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new FlightdeckException(
            ErrorCode.SERVER_UNAVAILABLE, "interrupted while waiting to send a parameter");
      }
    }
  }

  void send(CommandHeader header, VectorSchemaRoot table) {
    try (VectorSchemaRoot outgoing =
        VectorSchemaRoot.create(header.tag(table.getSchema()), allocator)) {
      AsyncPutListener outcome = new AsyncPutListener();
      FlightClient.ClientStreamListener put =
          calls.call(
              () -> client.startPut(CommandIds.descriptor(header.commandId()), outgoing, outcome));
      try {
        VectorLoader loader = new VectorLoader(outgoing);
        int rows = table.getRowCount();
        for (int offset = 0; offset < rows; offset += batchRows) {
          // Slices share the table's buffers; the loader only retains them until the next batch.
          try (VectorSchemaRoot slice = table.slice(offset, Math.min(batchRows, rows - offset));
              ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
            loader.load(batch);
            awaitReady(put, outcome);
            put.putNext();
          }
        }
        put.completed();
      } catch (RuntimeException e) {
        put.error(e);
        throw e;
      }
      // The server's verdict on the parameter: refused params raise their FlightdeckException here.
      calls.run(put::getResult);
    }
  }
}
