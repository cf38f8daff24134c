package dev.flightdeck.spi;

import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A stream of record batches loaded one at a time into one reused {@link VectorSchemaRoot}, like
 * Flight's {@code FlightStream}. The stream owns the root: copy or transfer what must outlive the
 * next call to {@link #next()} or {@link #close()}.
 */
public interface RecordBatchStream extends AutoCloseable {
  Schema schema();

  /** Loads the next batch into {@link #root()}; false once the stream is exhausted. */
  boolean next();

  VectorSchemaRoot root();

  @Override
  void close();
}
