package dev.flightdeck.server;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A hand-written store: view {@code stats} answers each feature as an int64 column holding the row
 * number; view {@code boom} fails inside the backend, {@code oom} with an OutOfMemoryError, {@code
 * leak} with a coded failure whose text holds a path and a password; view {@code big:rows} streams
 * {@link #BIG_ROWS} rows in many batches whatever the entities; any other view is unknown.
 */
final class FakeOfflineStore implements OfflineStore {
  static final int BIG_ROWS = 2_000_000;
  static final int BIG_BATCH = 65_536;

  final AtomicInteger openStreams = new AtomicInteger();
  final AtomicInteger jobsCreated = new AtomicInteger();
  final List<List<String>> prefetched = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final BufferAllocator allocator;

  FakeOfflineStore(BufferAllocator allocator) {
    this.allocator = allocator.newChildAllocator("fake-store", 0, Long.MAX_VALUE);
  }

  @Override
  public void prefetch(List<String> featureReferences) {
    prefetched.add(List.copyOf(featureReferences));
  }

  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    List<FeatureReference> references =
        ((FeatureSelection.References) request.features()).references();
    for (FeatureReference reference : references) {
      if (!List.of("stats", "boom", "oom", "leak", "big", "driver_hourly_stats", "customer_profile")
          .contains(reference.view())) {
        throw new FlightdeckException(
            ErrorCode.UNKNOWN_FEATURE_VIEW,
            "unknown feature view '" + reference.view() + "' (known: stats)");
      }
    }
    jobsCreated.incrementAndGet();
    boolean big = references.get(0).view().equals("big");
    boolean boom = references.get(0).view().equals("boom");
    boolean leak = references.get(0).view().equals("leak");
    boolean oom = references.get(0).view().equals("oom");
    List<Field> fields = new ArrayList<>();
    if (!big) {
      fields.addAll(request.entityRows().getSchema().getFields());
    }
    for (FeatureReference reference : references) {
      fields.add(
          Field.nullable(
              request.fullFeatureNames() ? reference.fullName() : reference.feature(),
              new ArrowType.Int(64, true)));
    }
    Schema schema = new Schema(fields);
    VectorSchemaRoot entities = request.entityRows();
    return new RetrievalJob() {
      @Override
      public Schema schema() {
        return schema;
      }

      @Override
      public RecordBatchStream stream() {
        if (boom) {
          throw new IllegalStateException("secret backend detail /etc/passwd");
        }
        if (oom) {
          throw new OutOfMemoryError("Java heap space");
        }
        if (leak) {
          // A backend's own coded failure whose text names a file and a URL with a password.
          throw new FlightdeckException(
              ErrorCode.BACKEND_FAILURE,
              "reading /srv/secret/data.parquet failed: jdbc:postgresql://db/x?password=hunter2");
        }
        return big ? new BigStream(schema) : new EntityStream(schema, entities);
      }

      // Persist is tested on the file backend.
      @Override
      public long persist(String destination, boolean allowOverwrite) {
        throw new UnsupportedOperationException("persist");
      }

      @Override
      public void close() {}
    };
  }

  // The fake serves get_historical_features only; the other APIs are tested on the file backend.
  @Override
  public dev.flightdeck.spi.RetrievalJob pullLatestFromTableOrQuery(
      dev.flightdeck.spi.PullRequest request) {
    throw new UnsupportedOperationException("pull_latest_from_table_or_query");
  }

  @Override
  public dev.flightdeck.spi.RetrievalJob pullAllFromTableOrQuery(
      dev.flightdeck.spi.PullRequest request) {
    throw new UnsupportedOperationException("pull_all_from_table_or_query");
  }

  @Override
  public long offlineWriteBatch(
      String featureView, org.apache.arrow.vector.VectorSchemaRoot table) {
    throw new UnsupportedOperationException("offline_write_batch");
  }

  @Override
  public long writeLoggedFeatures(
      String featureService, org.apache.arrow.vector.VectorSchemaRoot logs) {
    throw new UnsupportedOperationException("write_logged_features");
  }

  @Override
  public void validateDataSource(String dataSource) {
    throw new UnsupportedOperationException("validate_data_source");
  }

  @Override
  public java.util.List<dev.flightdeck.spi.SourceColumn> getTableColumnNamesAndTypes(
      String dataSource) {
    throw new UnsupportedOperationException("get_table_column_names_and_types");
  }

  @Override
  public void close() {
    allocator.close();
  }

  private abstract class FakeStream implements RecordBatchStream {
    final VectorSchemaRoot root;

    FakeStream(Schema schema) {
      root = VectorSchemaRoot.create(schema, allocator);
      openStreams.incrementAndGet();
    }

    @Override
    public Schema schema() {
      return root.getSchema();
    }

    @Override
    public VectorSchemaRoot root() {
      return root;
    }

    @Override
    public void close() {
      root.close();
      openStreams.decrementAndGet();
    }
  }

  private final class EntityStream extends FakeStream {
    private final VectorSchemaRoot entities;
    private boolean done;

    EntityStream(Schema schema, VectorSchemaRoot entities) {
      super(schema);
      this.entities = entities;
    }

    @Override
    public boolean next() {
      if (done) {
        return false;
      }
      done = true;
      root.allocateNew();
      int rows = entities.getRowCount();
      List<FieldVector> vectors = root.getFieldVectors();
      for (int column = 0; column < vectors.size(); column++) {
        FieldVector target = vectors.get(column);
        for (int row = 0; row < rows; row++) {
          if (column < entities.getFieldVectors().size()) {
            target.copyFromSafe(row, row, entities.getVector(column));
          } else {
            ((BigIntVector) target).setSafe(row, row);
          }
        }
        target.setValueCount(rows);
      }
      root.setRowCount(rows);
      return true;
    }
  }

  private final class BigStream extends FakeStream {
    private int sent;

    BigStream(Schema schema) {
      super(schema);
    }

    @Override
    public boolean next() {
      if (sent >= BIG_ROWS) {
        return false;
      }
      int rows = Math.min(BIG_BATCH, BIG_ROWS - sent);
      root.allocateNew();
      for (FieldVector vector : root.getFieldVectors()) {
        BigIntVector values = (BigIntVector) vector;
        for (int row = 0; row < rows; row++) {
          values.setSafe(row, sent + row);
        }
        values.setValueCount(rows);
      }
      root.setRowCount(rows);
      sent += rows;
      return true;
    }
  }
}
