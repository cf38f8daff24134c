package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.retrieval.RangeRows;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.TimeRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code get_historical_features} without an entity table: the entity rows are the distinct (join
 * keys, timestamp) pairs of the requested views' source rows in the range, ordered by timestamp
 * then keys; then the usual point-in-time join runs over them. Keyed views must share their join
 * keys; entity-less views join on time alone, and give the rows only when no keyed view is asked.
 */
final class RangeRetrievalJob implements RetrievalJob {
  private final SourcePaths paths;
  private final FeatureRepository repository;
  private final TimeRange range;
  private final RetrievalPlan plan;
  private final RangeRows rows;
  private final BufferAllocator allocator;
  private final int batchSize;
  private final ResultPersister persister;
  private final ViewReaders readers;

  RangeRetrievalJob(
      SourcePaths paths,
      FeatureRepository repository,
      HistoricalFeaturesRequest request,
      BufferAllocator allocator,
      int batchSize,
      ResultPersister persister,
      ViewReaders readers) {
    this.paths = requireNonNull(paths, "paths is null");
    this.repository = requireNonNull(repository, "repository is null");
    this.readers = requireNonNull(readers, "readers is null");
    this.range = request.range().orElseThrow();
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.batchSize = batchSize;
    this.persister = requireNonNull(persister, "persister is null");

    this.rows = RangeRows.of(repository, request.features());
    Schema stored = new SourceTable(paths, source(rows.views().get(0))).schema(rows.joinKeys());
    this.plan =
        RetrievalPlan.create(
            repository,
            rows.entitySchema(key -> stored.findField(key).getType()),
            request.features(),
            request.fullFeatureNames());
  }

  private DataSource source(FeatureView view) {
    return repository.dataSource(view.source());
  }

  @Override
  public Schema schema() {
    return plan.outputSchema();
  }

  @Override
  public RecordBatchStream stream() {
    VectorSchemaRoot entities = entityRows();
    try {
      RecordBatchStream joined =
          new FileRetrievalJob(readers, plan, entities, allocator, batchSize, persister).stream();
      return RecordBatchStream.alsoClosing(joined, entities);
    } catch (RuntimeException e) {
      entities.close();
      throw e;
    }
  }

  /** Distinct (keys, timestamp) of every row view's source rows in range, by time then keys. */
  private VectorSchemaRoot entityRows() {
    Schema schema = plan.entitySchema();
    List<String> keys = rows.joinKeys();
    try (VectorSchemaRoot gathered = VectorSchemaRoot.create(schema, allocator)) {
      gathered.allocateNew();
      int count = 0;
      for (FeatureView view : rows.views()) {
        DataSource source = source(view);
        List<String> columns = new ArrayList<>(keys);
        columns.add(source.timestampField());
        try (VectorSchemaRoot read =
            new SourceTable(paths, source)
                .read(columns, source.timestampField(), range, allocator)) {
          for (int c = 0; c < columns.size(); c++) {
            FieldVector from = read.getVector(c);
            FieldVector to = gathered.getVector(c);
            boolean timestamp = c == columns.size() - 1;
            if (!timestamp && !from.getField().getType().equals(to.getField().getType())) {
              throw new FlightdeckException(
                  ErrorCode.INVALID_PARAMETER,
                  "join key '"
                      + columns.get(c)
                      + "' is "
                      + TypeNames.of(from.getField().getType())
                      + " in source '"
                      + source.name()
                      + "' but "
                      + TypeNames.of(to.getField().getType())
                      + " elsewhere");
            }
            for (int row = 0; row < read.getRowCount(); row++) {
              to.copyFromSafe(row, count + row, from);
            }
          }
          count += read.getRowCount();
        }
      }
      for (FieldVector vector : gathered.getFieldVectors()) {
        vector.setValueCount(count);
      }
      gathered.setRowCount(count);
      return RowOrder.copy(gathered, distinctByTimeThenKeys(gathered, keys), allocator);
    }
  }

  private static int[] distinctByTimeThenKeys(VectorSchemaRoot rows, List<String> keys) {
    TimeStampVector timestamps =
        (TimeStampVector) rows.getVector(HistoricalFeaturesRequest.EVENT_TIMESTAMP);
    List<FieldVector> keyColumns = RowOrder.columns(rows, keys);
    Comparator<Integer> order =
        RowOrder.byTimestamp(timestamps).thenComparing(RowOrder.byKeys(keyColumns));
    int[] sorted = RowOrder.sorted(rows.getRowCount(), order);
    List<Integer> distinct = new ArrayList<>();
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || order.compare(sorted[i - 1], sorted[i]) != 0) {
        distinct.add(sorted[i]);
      }
    }
    return distinct.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public long persist(String destination, boolean allowOverwrite) {
    return persister.persist(this, destination, allowOverwrite);
  }

  @Override
  public void close() {
    // Each stream owns its entity rows.
  }
}
