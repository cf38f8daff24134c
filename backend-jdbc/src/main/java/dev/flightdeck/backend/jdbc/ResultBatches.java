package dev.flightdeck.backend.jdbc;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A query's result as Arrow batches of at most a target size, every column of the Arrow type the
 * caller asked for. Closing it closes the result set.
 */
public interface ResultBatches extends AutoCloseable {
  /**
   * The next batch, owned by the caller; null when the result is exhausted. Every batch but the
   * last has exactly the target number of rows, so the results of several queries over the same
   * rows line up batch for batch.
   */
  VectorSchemaRoot next();

  @Override
  void close();
}
