package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.spi.RecordBatchStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * A query's result as a {@link RecordBatchStream} with exactly the job's schema: each batch's
 * vectors move (no copy) into one reused root. Closing it frees the result and whatever the query
 * held (its connection, its temporary table).
 */
final class QueryStream implements RecordBatchStream {
  private final Schema schema;
  private final ResultBatches batches;
  private final VectorSchemaRoot root;
  private final AutoCloseable resources;
  private final BufferAllocator allocator;

  QueryStream(
      Schema schema, ResultBatches batches, BufferAllocator allocator, AutoCloseable resources) {
    this.schema = requireNonNull(schema, "schema is null");
    this.batches = requireNonNull(batches, "batches is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.resources = requireNonNull(resources, "resources is null");
    this.root = VectorSchemaRoot.create(schema, allocator);
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public boolean next() {
    try (VectorSchemaRoot batch = batches.next()) {
      if (batch == null) {
        return false;
      }
      List<FieldVector> from = batch.getFieldVectors();
      List<FieldVector> to = root.getFieldVectors();
      for (int c = 0; c < to.size(); c++) {
        TransferPair transfer = from.get(c).makeTransferPair(to.get(c));
        transfer.transfer();
      }
      root.setRowCount(batch.getRowCount());
      return true;
    }
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public void close() {
    List<Exception> failures = new ArrayList<>();
    try {
      batches.close();
    } catch (RuntimeException e) {
      failures.add(e);
    }
    root.close();
    try {
      resources.close();
    } catch (Exception e) {
      failures.add(e);
    }
    allocator.close();
    if (!failures.isEmpty()) {
      RuntimeException first =
          failures.get(0) instanceof RuntimeException runtime
              ? runtime
              : new IllegalStateException(failures.get(0));
      throw first;
    }
  }
}
