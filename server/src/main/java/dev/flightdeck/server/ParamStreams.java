package dev.flightdeck.server;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandHeader;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/** Gathers every batch of a do_put stream into one table. */
final class ParamStreams {
  private ParamStreams() {}

  /**
   * All batches of {@code stream} in one table allocated from {@code allocator}, its schema without
   * the command header.
   */
  static VectorSchemaRoot readAll(
      FlightStream stream, BufferAllocator allocator, IdleTimeout idle) {
    Schema schema = idle.await(stream::getSchema);
    for (Field field : schema.getFields()) {
      // Checked before any batch is read. Backends read plain columns; pyarrow users decode
      // categoricals with table.cast or pandas' astype(str).
      if (field.getDictionary() != null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "column '"
                + ServerErrors.cut(field.getName())
                + "' is dictionary-encoded; send it decoded (in pyarrow, cast it to its value"
                + " type)");
      }
    }
    VectorSchemaRoot table = VectorSchemaRoot.create(CommandHeader.strip(schema), allocator);
    try {
      table.allocateNew();
      table.setRowCount(0);
      while (idle.await(stream::next)) {
        VectorSchemaRootAppender.append(false, table, stream.getRoot());
      }
      return table;
    } catch (Throwable e) {
      table.close();
      throw e;
    }
  }
}
