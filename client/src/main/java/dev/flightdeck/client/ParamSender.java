package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
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

  void send(CommandHeader header, VectorSchemaRoot table) {
    try (VectorSchemaRoot outgoing =
        VectorSchemaRoot.create(header.tag(table.getSchema()), allocator)) {
      FlightClient.ClientStreamListener put =
          calls.call(
              () ->
                  client.startPut(
                      CommandIds.descriptor(header.commandId()), outgoing, new AsyncPutListener()));
      try {
        VectorLoader loader = new VectorLoader(outgoing);
        int rows = table.getRowCount();
        for (int offset = 0; offset < rows; offset += batchRows) {
          // Slices share the table's buffers; the loader only retains them until the next batch.
          try (VectorSchemaRoot slice = table.slice(offset, Math.min(batchRows, rows - offset));
              ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
            loader.load(batch);
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
