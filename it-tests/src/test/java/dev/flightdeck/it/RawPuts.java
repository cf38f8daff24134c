package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Map;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Parameters sent the way docs/protocol.md tells any Flight client to: one do_put per parameter,
 * the schema tagged with {@code command}, {@code api} and {@code param}. No Flightdeck code.
 */
final class RawPuts {
  private final FlightClient client;
  private final BufferAllocator allocator;

  RawPuts(FlightClient client, BufferAllocator allocator) {
    this.client = client;
    this.allocator = allocator;
  }

  void put(String command, String api, String param, VectorSchemaRoot table) {
    Schema tagged =
        new Schema(
            table.getSchema().getFields(), Map.of("command", command, "api", api, "param", param));
    try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(tagged, allocator);
        ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
      FlightClient.ClientStreamListener listener =
          client.startPut(
              FlightDescriptor.command(command.getBytes(UTF_8)), outgoing, new AsyncPutListener());
      new VectorLoader(outgoing).load(batch);
      listener.putNext();
      listener.completed();
      listener.getResult();
    }
  }
}
