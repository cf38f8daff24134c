package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A planned retrieval over Parquet files. Creating it reads nothing; each {@link #stream()} runs
 * the join again in its own child allocator, so the job may be streamed more than once.
 */
final class FileRetrievalJob implements RetrievalJob {
  private static final AtomicInteger STREAM_IDS = new AtomicInteger();

  private final ViewReaders readers;
  private final RetrievalPlan plan;
  private final VectorSchemaRoot entityRows;
  private final BufferAllocator allocator;
  private final int batchSize;
  private final ResultPersister persister;

  FileRetrievalJob(
      ViewReaders readers,
      RetrievalPlan plan,
      VectorSchemaRoot entityRows,
      BufferAllocator allocator,
      int batchSize,
      ResultPersister persister) {
    this.readers = requireNonNull(readers, "readers is null");
    this.plan = requireNonNull(plan, "plan is null");
    this.entityRows = requireNonNull(entityRows, "entityRows is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.batchSize = batchSize;
    this.persister = requireNonNull(persister, "persister is null");
  }

  @Override
  public Schema schema() {
    return plan.outputSchema();
  }

  @Override
  public RecordBatchStream stream() {
    RetrievalPlan.checkEntityRows(entityRows);
    BufferAllocator streamAllocator =
        allocator.newChildAllocator(
            "file-retrieval-" + STREAM_IDS.incrementAndGet(), 0, Long.MAX_VALUE);
    List<PointInTimeJoin.Result> views = new ArrayList<>();
    try {
      List<JoinedBatchStream.FeatureSource> sources = new ArrayList<>();
      for (ViewRequest view : plan.views()) {
        views.add(PointInTimeJoin.run(readers, view, entityRows, streamAllocator));
      }
      for (RetrievalPlan.Slot slot : plan.slots()) {
        sources.add(new JoinedBatchStream.FeatureSource(slot.view(), slot.position()));
      }
      return new JoinedBatchStream(
          streamAllocator, plan.outputSchema(), entityRows, views, sources, batchSize);
    } catch (RuntimeException e) {
      for (int i = views.size() - 1; i >= 0; i--) {
        views.get(i).close();
      }
      streamAllocator.close();
      throw e;
    }
  }

  @Override
  public long persist(String destination, boolean allowOverwrite) {
    return persister.persist(this, destination, allowOverwrite);
  }

  @Override
  public void close() {
    // Each stream owns what it allocates; the job itself holds only the plan.
  }
}
