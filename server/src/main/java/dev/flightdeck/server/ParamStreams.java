package dev.flightdeck.server;

import dev.flightdeck.protocol.CommandHeader;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/** Gathers every batch of a do_put stream into one table. */
final class ParamStreams {
  private ParamStreams() {}

  /**
   * All batches of {@code stream} in one table allocated from {@code allocator}, its schema without
   * the command header (the header describes the call, not the data the backend sees).
   */
  static VectorSchemaRoot readAll(FlightStream stream, BufferAllocator allocator) {
    VectorSchemaRoot table = VectorSchemaRoot.create(withoutHeader(stream.getSchema()), allocator);
    try {
      table.allocateNew();
      table.setRowCount(0);
      while (stream.next()) {
        VectorSchemaRootAppender.append(false, table, stream.getRoot());
      }
      return table;
    } catch (RuntimeException e) {
      table.close();
      throw e;
    }
  }

  static Schema withoutHeader(Schema schema) {
    Map<String, String> metadata =
        new HashMap<>(schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata());
    metadata.remove(CommandHeader.COMMAND_KEY);
    metadata.remove(CommandHeader.API_KEY);
    metadata.remove(CommandHeader.PARAM_KEY);
    return new Schema(schema.getFields(), metadata.isEmpty() ? null : metadata);
  }
}
