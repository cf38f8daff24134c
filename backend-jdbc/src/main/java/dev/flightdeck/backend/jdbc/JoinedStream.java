package dev.flightdeck.backend.jdbc;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.spi.RecordBatchStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;

/**
 * The result of a retrieval: the caller's entity columns, copied unchanged, beside the features of
 * each view, which the database returns one row per entity row in entity order. The views' results
 * are read in step, a batch of each at a time, and checked to line up.
 */
final class JoinedStream implements RecordBatchStream {
  private final RetrievalPlan plan;
  private final VectorSchemaRoot entityRows;
  private final List<HistoricalJob.ViewResult> views;
  private final BufferAllocator allocator;
  private final AutoCloseable release;
  private final VectorSchemaRoot root;
  private final int entityColumns;
  private int offset;

  JoinedStream(
      RetrievalPlan plan,
      VectorSchemaRoot entityRows,
      List<HistoricalJob.ViewResult> views,
      BufferAllocator allocator,
      AutoCloseable release) {
    this.plan = plan;
    this.entityRows = entityRows;
    this.views = views;
    this.allocator = allocator;
    this.release = release;
    this.root = VectorSchemaRoot.create(plan.outputSchema(), allocator);
    this.entityColumns = entityRows.getFieldVectors().size();
  }

  @Override
  public Schema schema() {
    return plan.outputSchema();
  }

  @Override
  public boolean next() {
    List<VectorSchemaRoot> batches = new ArrayList<>();
    try {
      for (HistoricalJob.ViewResult view : views) {
        batches.add(view.batches().next());
      }
      int rows = Math.min(entityRows.getRowCount() - offset, Integer.MAX_VALUE);
      if (views.isEmpty() || batches.get(0) == null) {
        if (!views.isEmpty() && offset != entityRows.getRowCount()) {
          throw misaligned(
              "the database returned "
                  + offset
                  + " rows for "
                  + entityRows.getRowCount()
                  + " entity rows");
        }
        if (!views.isEmpty() || offset == entityRows.getRowCount()) {
          return false;
        }
        rows = entityRows.getRowCount(); // no view: nothing to join, one batch of entity rows
      } else {
        rows = batches.get(0).getRowCount();
      }
      List<FieldVector> out = root.getFieldVectors();
      for (int c = 0; c < entityColumns; c++) {
        FieldVector from = entityRows.getVector(c);
        FieldVector to = out.get(c);
        // Room for the batch first: grown by doubling, each column was copied several times over.
        to.clear();
        to.setInitialCapacity(rows);
        to.allocateNew();
        for (int i = 0; i < rows; i++) {
          to.copyFromSafe(offset + i, i, from);
        }
        to.setValueCount(rows);
      }
      for (int v = 0; v < views.size(); v++) {
        VectorSchemaRoot batch = batches.get(v);
        if (batch == null || batch.getRowCount() != rows) {
          throw misaligned("view results do not line up at entity row " + offset);
        }
        BigIntVector rowNumbers = (BigIntVector) batch.getVector(0);
        for (int i = 0; i < rows; i++) {
          if (rowNumbers.get(i) != offset + i) {
            throw misaligned(
                "the database returned entity row "
                    + rowNumbers.get(i)
                    + " where "
                    + (offset + i)
                    + " was due");
          }
        }
        List<ResolvedFeature> features = views.get(v).features();
        for (int f = 0; f < features.size(); f++) {
          int column = plan.outputColumn(v, f);
          TransferPair transfer = batch.getVector(f + 1).makeTransferPair(out.get(column));
          transfer.transfer();
        }
      }
      root.setRowCount(rows);
      offset += rows;
      return true;
    } finally {
      batches.forEach(
          batch -> {
            if (batch != null) {
              batch.close();
            }
          });
    }
  }

  private static FlightdeckException misaligned(String message) {
    return new FlightdeckException(ErrorCode.BACKEND_FAILURE, message);
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public void close() {
    try {
      views.forEach(view -> view.batches().close());
    } finally {
      try {
        root.close();
        release.close();
      } catch (Exception e) {
        throw new FlightdeckException(ErrorCode.BACKEND_FAILURE, "releasing the query failed", e);
      } finally {
        allocator.close();
      }
    }
  }
}
