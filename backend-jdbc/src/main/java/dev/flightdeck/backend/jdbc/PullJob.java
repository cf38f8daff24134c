package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code pull_latest_from_table_or_query} and {@code pull_all_from_table_or_query} as one SQL
 * statement each: the range as bound parameters, the latest row per key by {@code ROW_NUMBER()}.
 * Creating the job reads the source's column types only.
 */
final class PullJob implements RetrievalJob {
  private static final AtomicInteger STREAM_IDS = new AtomicInteger();

  enum Mode {
    LATEST,
    ALL
  }

  private final JdbcContext context;
  private final PullRequest request;
  private final Mode mode;
  private final SourceRelation source;
  private final Schema schema;
  private final TableWriter persister;

  PullJob(JdbcContext context, PullRequest request, Mode mode, TableWriter persister) {
    this.context = requireNonNull(context, "context is null");
    this.request = requireNonNull(request, "request is null");
    this.mode = requireNonNull(mode, "mode is null");
    this.persister = requireNonNull(persister, "persister is null");
    if (mode == Mode.LATEST) {
      request.range().requireBounded("pull_latest_from_table_or_query");
    }
    this.source = context.relation(request.dataSource());
    Map<String, SourceRelation.Column> columns;
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      columns = source.columns(lease.connection(), context.timeoutSeconds());
    }
    List<Field> fields = new ArrayList<>();
    for (String name : request.resultColumns()) {
      SourceRelation.Column column = columns.get(source.storedName(name));
      if (column == null) {
        throw new FlightdeckException(
            ErrorCode.UNKNOWN_COLUMN,
            "data source '"
                + request.dataSource()
                + "' has no column '"
                + name
                + "' (columns: "
                + String.join(", ", columns.keySet())
                + ")");
      }
      fields.add(Field.nullable(name, column.arrowType()));
    }
    this.schema = new Schema(fields);
    checkTypes();
  }

  private void checkTypes() {
    for (String key : request.joinKeyColumns()) {
      if (JoinKeys.kindOf(schema.findField(key).getType()) == null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "join key column '"
                + key
                + "' is "
                + TypeNames.of(schema.findField(key).getType())
                + "; it must be an integer or a string");
      }
    }
    List<String> timestamps = new ArrayList<>(List.of(request.timestampField()));
    request.createdTimestampColumn().ifPresent(timestamps::add);
    for (String name : timestamps) {
      if (!(schema.findField(name).getType() instanceof ArrowType.Timestamp)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "column '"
                + name
                + "' is "
                + TypeNames.of(schema.findField(name).getType())
                + ", not a timestamp");
      }
    }
  }

  @Override
  public Schema schema() {
    return schema;
  }

  @Override
  public RecordBatchStream stream() {
    BufferAllocator allocator =
        context
            .allocator()
            .newChildAllocator("jdbc-pull-" + STREAM_IDS.incrementAndGet(), 0, Long.MAX_VALUE);
    ConnectionPool.Lease lease = null;
    PreparedStatement query = null;
    try {
      lease = context.pool().borrow();
      Connection connection = lease.connection();
      connection.setAutoCommit(!context.dialect().transactions());
      query = connection.prepareStatement(sql());
      int parameter = 1;
      for (Instant bound : bounds()) {
        query.setObject(
            parameter++,
            BatchInsertLoader.utc(dev.flightdeck.retrieval.Timestamps.toMicros(bound)));
      }
      query.setFetchSize(context.config().fetchSize());
      JdbcStatements.timeout(query, context.timeoutSeconds());
      List<ArrowType> types = schema.getFields().stream().map(Field::getType).toList();
      ResultBatches batches =
          context
              .dialect()
              .resultBatches(query.executeQuery(), types, allocator, context.config().batchSize());
      PreparedStatement statement = query;
      ConnectionPool.Lease held = lease;
      return new QueryStream(
          schema,
          batches,
          allocator,
          () -> {
            try {
              statement.close();
              if (!held.connection().getAutoCommit()) {
                held.connection().rollback();
              }
            } catch (SQLException e) {
              held.markBroken();
            } finally {
              held.close();
            }
          });
    } catch (SQLException | RuntimeException e) {
      if (lease != null) {
        lease.markBroken();
        lease.close();
      }
      allocator.close();
      if (e instanceof FlightdeckException flightdeck) {
        throw flightdeck;
      }
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "pulling from '" + request.dataSource() + "' failed: " + e.getMessage(),
          e);
    }
  }

  private List<Instant> bounds() {
    List<Instant> bounds = new ArrayList<>();
    request.range().start().ifPresent(bounds::add);
    request.range().end().ifPresent(bounds::add);
    return bounds;
  }

  private String sql() {
    SqlNames names = context.names();
    List<String> select = new ArrayList<>();
    for (String name : request.resultColumns()) {
      select.add(source.column("s", name) + " AS " + names.quote(name, "column"));
    }
    String timestamp = source.column("s", request.timestampField());
    List<String> where = new ArrayList<>();
    request.range().start().ifPresent(start -> where.add(timestamp + " >= ?"));
    request.range().end().ifPresent(end -> where.add(timestamp + " <= ?"));
    List<String> keys = new ArrayList<>();
    for (String key : request.joinKeyColumns()) {
      keys.add(source.column("s", key));
    }
    String created =
        request.createdTimestampColumn().map(column -> source.column("s", column)).orElse(null);
    if (mode == Mode.ALL) {
      List<String> order = new ArrayList<>();
      order.add(quotedOut(request.timestampField()) + " NULLS LAST");
      request.joinKeyColumns().forEach(key -> order.add(quotedOut(key)));
      request
          .createdTimestampColumn()
          .ifPresent(column -> order.add(quotedOut(column) + " NULLS LAST"));
      return "SELECT "
          + String.join(", ", select)
          + " FROM "
          + source.from("s")
          + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
          + " ORDER BY "
          + String.join(", ", order);
    }
    keys.forEach(key -> where.add(key + " IS NOT NULL"));
    String ranking =
        timestamp + " DESC" + (created == null ? "" : ", " + created + " DESC NULLS LAST");
    String partition = keys.isEmpty() ? "" : "PARTITION BY " + String.join(", ", keys) + " ";
    List<String> outer = new ArrayList<>();
    request.resultColumns().forEach(name -> outer.add("t." + quotedOut(name)));
    List<String> order = new ArrayList<>();
    request.joinKeyColumns().forEach(key -> order.add("t." + quotedOut(key)));
    return "SELECT "
        + String.join(", ", outer)
        + " FROM (SELECT "
        + String.join(", ", select)
        + ", ROW_NUMBER() OVER ("
        + partition
        + "ORDER BY "
        + ranking
        + ") AS fd_rank FROM "
        + source.from("s")
        + " WHERE "
        + String.join(" AND ", where)
        + ") t WHERE t.fd_rank = 1"
        + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order));
  }

  private String quotedOut(String name) {
    return context.names().quote(name, "column");
  }

  @Override
  public long persist(String destination, boolean allowOverwrite) {
    return persister.persist(this, destination, allowOverwrite);
  }

  @Override
  public void close() {
    // Each stream owns its connection.
  }
}
