package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.spi.RecordBatchStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A computed table served in batches of at most {@code batchSize} rows through one reused root. The
 * stream owns the table, and the allocator it was made in, and frees both on close.
 */
final class TableBatchStream implements RecordBatchStream {
  private final VectorSchemaRoot table;
  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final int batchSize;
  private int offset;

  TableBatchStream(VectorSchemaRoot table, BufferAllocator allocator, int batchSize) {
    this.table = requireNonNull(table, "table is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.root = VectorSchemaRoot.create(table.getSchema(), allocator);
    this.batchSize = batchSize;
  }

  @Override
  public Schema schema() {
    return table.getSchema();
  }

  @Override
  public boolean next() {
    if (offset >= table.getRowCount()) {
      return false;
    }
    int length = Math.min(batchSize, table.getRowCount() - offset);
    // The slice shares the table's buffers; the loader retains what it needs until the next load.
    try (VectorSchemaRoot slice = table.slice(offset, length);
        ArrowRecordBatch batch = new VectorUnloader(slice).getRecordBatch()) {
      new VectorLoader(root).load(batch);
    }
    offset += length;
    return true;
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public void close() {
    try (BufferAllocator closeAllocator = allocator;
        VectorSchemaRoot closeTable = table;
        VectorSchemaRoot closeRoot = root) {
      // closed in reverse order: root, table, then the allocator that must now be empty
    }
  }
}
