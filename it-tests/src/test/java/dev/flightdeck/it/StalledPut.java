package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A careless or hostile client's do_put: it sends the tagged schema and then nothing, neither a
 * batch nor the end of the stream. Closing it cancels the call.
 */
final class StalledPut implements AutoCloseable {
  private final VectorSchemaRoot root;
  private final FlightClient.ClientStreamListener listener;

  private StalledPut(VectorSchemaRoot root, FlightClient.ClientStreamListener listener) {
    this.root = root;
    this.listener = listener;
  }

  static StalledPut start(
      FlightClient client, BufferAllocator allocator, String command, String api, String param) {
    Schema schema =
        new Schema(
            java.util.List.of(Field.nullable("driver_id", new ArrowType.Int(64, true))),
            Map.of("command", command, "api", api, "param", param));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    FlightClient.ClientStreamListener listener =
        client.startPut(
            FlightDescriptor.command(command.getBytes(UTF_8)), root, new AsyncPutListener());
    return new StalledPut(root, listener);
  }

  /** Waits for the server's answer: the put's outcome, or its refusal thrown. */
  void result() {
    listener.getResult();
  }

  @Override
  public void close() {
    try {
      listener.error(new IllegalStateException("the test gives up on this put"));
    } catch (RuntimeException e) {
      // Already ended by the server.
    }
    root.close();
  }
}
