package dev.flightdeck.it;

import dev.flightdeck.protocol.CommandIds;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightClientMiddleware;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Plain Flight clients that send {@code authorization: Bearer <token>}, and a do_put that waits for
 * gRPC's flow control without spinning. Arrow's {@code ClientStreamListener.putNext} spins on a
 * core until the stream is ready; many such clients in one JVM starve the server they wait for.
 */
final class BearerWire {
  private BearerWire() {}

  static FlightClient client(BufferAllocator allocator, int port, String token) {
    return FlightClient.builder(allocator, Location.forGrpcInsecure("localhost", port))
        .intercept(
            info ->
                new FlightClientMiddleware() {
                  @Override
                  public void onBeforeSendingHeaders(CallHeaders outgoing) {
                    outgoing.insert("authorization", "Bearer " + token);
                  }

                  @Override
                  public void onHeadersReceived(CallHeaders incoming) {}

                  @Override
                  public void onCallCompleted(CallStatus status) {}
                })
        .build();
  }

  /**
   * Sends {@code table} as parameter {@code param} of command {@code id}, in one batch, and waits
   * for the server's answer: a refusal is thrown as the server's {@code FlightRuntimeException}.
   */
  static void put(
      FlightClient client,
      BufferAllocator allocator,
      String id,
      String api,
      String param,
      VectorSchemaRoot table) {
    Schema tagged =
        new Schema(
            table.getSchema().getFields(), Map.of("command", id, "api", api, "param", param));
    try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(tagged, allocator);
        ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
      AsyncPutListener answer = new AsyncPutListener();
      FlightClient.ClientStreamListener put =
          client.startPut(CommandIds.descriptor(id), outgoing, answer);
      awaitReady(put, answer);
      new VectorLoader(outgoing).load(batch);
      put.putNext();
      put.completed();
      put.getResult();
    }
  }

  /** Waits until the put may send, or the server has answered it already (a refusal, say). */
  static void awaitReady(FlightClient.ClientStreamListener put, AsyncPutListener answer) {
    while (!put.isReady() && !answer.isCancelled()) {
      LockSupport.parkNanos(200_000);
    }
  }
}
