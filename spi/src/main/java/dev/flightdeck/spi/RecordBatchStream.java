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

  /** {@code table} as one batch; the stream owns the table and closes it. */
  static RecordBatchStream ofTable(VectorSchemaRoot table) {
    return new RecordBatchStream() {
      private boolean sent;

      @Override
      public Schema schema() {
        return table.getSchema();
      }

      @Override
      public boolean next() {
        boolean first = !sent;
        sent = true;
        return first;
      }

      @Override
      public VectorSchemaRoot root() {
        return table;
      }

      @Override
      public void close() {
        table.close();
      }
    };
  }

  /**
   * {@code stream}, which on close also closes {@code resource}: for a stream that reads something
   * its creator made for it (an entity table computed for the stream, say).
   */
  static RecordBatchStream alsoClosing(RecordBatchStream stream, AutoCloseable resource) {
    return new RecordBatchStream() {
      @Override
      public Schema schema() {
        return stream.schema();
      }

      @Override
      public boolean next() {
        return stream.next();
      }

      @Override
      public VectorSchemaRoot root() {
        return stream.root();
      }

      @Override
      public void close() {
        try {
          stream.close();
        } finally {
          try {
            resource.close();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new IllegalStateException("closing " + resource + " failed", e);
          }
        }
      }
    };
  }
}
