package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code pull_latest_from_table_or_query} and {@code pull_all_from_table_or_query} over one source:
 * read the requested columns of the rows in range, then order (all) or keep the latest row per join
 * key (latest). Creating the job checks the names against the files' footers only.
 */
final class PullJob implements RetrievalJob {
  private static final AtomicInteger STREAM_IDS = new AtomicInteger();

  enum Mode {
    LATEST,
    ALL
  }

  private final SourceTable source;
  private final PullRequest request;
  private final Mode mode;
  private final Schema schema;
  private final BufferAllocator allocator;
  private final int batchSize;
  private final ResultPersister persister;

  PullJob(
      SourceTable source,
      PullRequest request,
      Mode mode,
      BufferAllocator allocator,
      int batchSize,
      ResultPersister persister) {
    this.source = requireNonNull(source, "source is null");
    this.request = requireNonNull(request, "request is null");
    this.mode = requireNonNull(mode, "mode is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.batchSize = batchSize;
    this.persister = requireNonNull(persister, "persister is null");
    if (mode == Mode.LATEST) {
      request.range().requireBounded("pull_latest_from_table_or_query");
    }
    this.schema = source.schema(request.resultColumns());
    checkTypes();
  }

  private void checkTypes() {
    for (String key : request.joinKeyColumns()) {
      Field field = schema.findField(key);
      if (JoinKeys.kindOf(field.getType()) == null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "join key column '"
                + key
                + "' is "
                + TypeNames.of(field.getType())
                + "; it must be an integer or"
                + " a string");
      }
    }
    List<String> timestamps = new ArrayList<>();
    timestamps.add(request.timestampField());
    request.createdTimestampColumn().ifPresent(timestamps::add);
    for (String name : timestamps) {
      Field field = schema.findField(name);
      if (!(field.getType() instanceof org.apache.arrow.vector.types.pojo.ArrowType.Timestamp)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "column '" + name + "' is " + TypeNames.of(field.getType()) + ", not a timestamp");
      }
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public RecordBatchStream stream() {
    BufferAllocator streamAllocator =
        allocator.newChildAllocator("file-pull-" + STREAM_IDS.incrementAndGet(), 0, Long.MAX_VALUE);
    try (VectorSchemaRoot rows =
        source.read(
            request.resultColumns(), request.timestampField(), request.range(), streamAllocator)) {
      int[] order = mode == Mode.LATEST ? latest(rows) : all(rows);
      return new TableBatchStream(
          RowOrder.copy(rows, order, streamAllocator), streamAllocator, batchSize);
    } catch (RuntimeException e) {
      streamAllocator.close();
      throw e;
    }
  }

  /** By timestamp, then join keys, then created timestamp; full ties keep file order. */
  private int[] all(VectorSchemaRoot rows) {
    Comparator<Integer> order =
        RowOrder.byTimestamp(timestamps(rows, request.timestampField()))
            .thenComparing(RowOrder.byKeys(RowOrder.columns(rows, request.joinKeyColumns())));
    if (request.createdTimestampColumn().isPresent()) {
      order =
          order.thenComparing(
              RowOrder.byTimestamp(timestamps(rows, request.createdTimestampColumn().get())));
    }
    return RowOrder.sorted(rows.getRowCount(), order);
  }

  /**
   * One row per join key (rows with a null key are dropped), the latest by timestamp then created
   * timestamp; ordered by join keys.
   */
  private int[] latest(VectorSchemaRoot rows) {
    List<FieldVector> keys = RowOrder.columns(rows, request.joinKeyColumns());
    Comparator<Integer> newestLast =
        RowOrder.byTimestamp(timestamps(rows, request.timestampField()));
    if (request.createdTimestampColumn().isPresent()) {
      newestLast =
          newestLast.thenComparing(
              RowOrder.byTimestamp(timestamps(rows, request.createdTimestampColumn().get())));
    }
    int[] sorted =
        RowOrder.sorted(rows.getRowCount(), RowOrder.byKeys(keys).thenComparing(newestLast));
    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < sorted.length; i++) {
      Object key = JoinKeys.key(keys, sorted[i]);
      if (key == null) {
        continue;
      }
      boolean lastOfKey =
          i + 1 == sorted.length || !Objects.equals(key, JoinKeys.key(keys, sorted[i + 1]));
      if (lastOfKey) {
        kept.add(sorted[i]);
      }
    }
    return kept.stream().mapToInt(Integer::intValue).toArray();
  }

  private static TimeStampVector timestamps(VectorSchemaRoot rows, String name) {
    return (TimeStampVector) rows.getVector(name);
  }

  @Override
  public long persist(String destination, boolean allowOverwrite) {
    return persister.persist(this, destination, allowOverwrite);
  }

  @Override
  public void close() {
    // Each stream owns what it allocates; the job holds only the request.
  }
}
