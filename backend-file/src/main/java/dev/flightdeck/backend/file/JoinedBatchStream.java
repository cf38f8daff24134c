package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.spi.RecordBatchStream;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Emits a finished join in batches of a fixed number of rows, in one reused root: the entity
 * columns copied from the caller's table, then each feature copied from its view's matched row.
 * Owns its allocator and the loaded views, and closes them in reverse order.
 */
final class JoinedBatchStream implements RecordBatchStream {
  private final BufferAllocator allocator;
  private final List<PointInTimeJoin.Result> views;
  private final List<FeatureSource> features;
  private final VectorSchemaRoot entityRows;
  private final VectorSchemaRoot root;
  private final int batchSize;
  private int nextRow;

  /**
   * Where one output feature column comes from: a view's join result and the feature's index in it.
   */
  record FeatureSource(int view, int featureIndex) {}

  JoinedBatchStream(
      BufferAllocator allocator,
      Schema schema,
      VectorSchemaRoot entityRows,
      List<PointInTimeJoin.Result> views,
      List<FeatureSource> features,
      int batchSize) {
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.entityRows = requireNonNull(entityRows, "entityRows is null");
    this.views = List.copyOf(views);
    this.features = List.copyOf(features);
    this.batchSize = batchSize;
    this.root = VectorSchemaRoot.create(requireNonNull(schema, "schema is null"), allocator);
  }

  @Override
  public Schema schema() {
    return root.getSchema();
  }

  @Override
  public boolean next() {
    int total = entityRows.getRowCount();
    if (nextRow >= total) {
      root.clear();
      root.setRowCount(0);
      return false;
    }
    int start = nextRow;
    int length = Math.min(batchSize, total - start);
    root.clear();
    // Room for the whole batch at once: growing by doubling would copy each column several times.
    root.getFieldVectors().forEach(vector -> vector.setInitialCapacity(length));
    root.allocateNew();
    int entityColumns = entityRows.getFieldVectors().size();
    for (int column = 0; column < entityColumns; column++) {
      FieldVector source = entityRows.getVector(column);
      FieldVector target = root.getVector(column);
      if (target instanceof NullVector) {
        continue; // all nulls (pandas' all-None column): setRowCount sizes it, nothing to copy
      }
      Gather.range(source, target, start, length);
    }
    RowsByChunk[] grouped = new RowsByChunk[views.size()]; // per view, once for its features
    for (int i = 0; i < features.size(); i++) {
      FeatureSource feature = features.get(i);
      PointInTimeJoin.Result view = views.get(feature.view());
      FeatureColumn source = view.feature(feature.featureIndex());
      FieldVector target = root.getVector(entityColumns + i);
      int[] matches = view.matchesUpTo(start + length);
      if (source.chunkCount() > 1) {
        RowsByChunk rows = grouped[feature.view()];
        if (rows == null || !rows.fits(source)) {
          rows = grouped[feature.view()] = RowsByChunk.of(source, matches, start, length);
        }
        if (Gather.rows(source, target, rows)) {
          continue;
        }
      }
      Gather.rows(source, target, matches, start, length);
    }
    root.setRowCount(length);
    nextRow = start + length;
    return true;
  }

  @Override
  public VectorSchemaRoot root() {
    return root;
  }

  @Override
  public void close() {
    root.close();
    for (int i = views.size() - 1; i >= 0; i--) {
      views.get(i).close();
    }
    allocator.close();
  }
}
