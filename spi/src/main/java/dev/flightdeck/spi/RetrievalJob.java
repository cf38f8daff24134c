package dev.flightdeck.spi;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * A lazy retrieval: creating a job reads no feature data; {@link #stream()} or {@link #toArrow}
 * runs it. A job may run again, as Feast's jobs may, and each run gives the same result.
 */
public interface RetrievalJob extends AutoCloseable {
  /** The result's schema. Backends answer without reading data. */
  Schema schema();

  /** Runs the job and streams its result; the caller closes the stream. */
  RecordBatchStream stream();

  /** Runs the job and gathers the whole result in one root owned by the caller. */
  default VectorSchemaRoot toArrow(BufferAllocator allocator) {
    try (RecordBatchStream stream = stream()) {
      VectorSchemaRoot table = VectorSchemaRoot.create(stream.schema(), allocator);
      try {
        table.allocateNew();
        table.setRowCount(0);
        while (stream.next()) {
          VectorSchemaRootAppender.append(false, table, stream.root());
        }
        return table;
      } catch (RuntimeException e) {
        table.close();
        throw e;
      }
    }
  }

  /**
   * Runs the job and stores its result in the backend under {@code destination}, a plain name (for
   * Parquet, a file in the configured output folder; for JDBC, a table). Refuses to replace an
   * existing destination unless {@code allowOverwrite}.
   *
   * @return the number of rows stored
   */
  long persist(String destination, boolean allowOverwrite);

  @Override
  void close();
}
