package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code get_historical_features} run in the database. The entity rows' keys and timestamps go into
 * a temporary table (with their row number, and each view's TTL bound computed here), one SQL
 * statement per view, written by the dialect, picks for every entity row the latest source row at
 * or before its timestamp (then the latest created), and the JVM puts the entity columns,
 * unchanged, beside the features that come back in row order.
 */
final class HistoricalJob implements RetrievalJob {
  private static final AtomicInteger STREAM_IDS = new AtomicInteger();
  private static final String ROW = "fd_row";
  private static final String TIMESTAMP = "fd_ts";

  private final JdbcContext context;
  private final RetrievalPlan plan;
  private final VectorSchemaRoot entityRows;
  private final TableWriter persister;

  HistoricalJob(
      JdbcContext context, RetrievalPlan plan, VectorSchemaRoot entityRows, TableWriter persister) {
    this.context = requireNonNull(context, "context is null");
    this.plan = requireNonNull(plan, "plan is null");
    this.entityRows = requireNonNull(entityRows, "entityRows is null");
    this.persister = requireNonNull(persister, "persister is null");
  }

  @Override
  public Schema schema() {
    return plan.outputSchema();
  }

  @Override
  public RecordBatchStream stream() {
    RetrievalPlan.checkEntityRows(entityRows);
    BufferAllocator allocator =
        context
            .allocator()
            .newChildAllocator("jdbc-retrieval-" + STREAM_IDS.incrementAndGet(), 0, Long.MAX_VALUE);
    ConnectionPool.Lease lease = null;
    Release release = null;
    try {
      lease = context.pool().borrow();
      release = new Release(lease, context.dialect().transactions());
      Connection connection = lease.connection();
      // The entity rows are committed before the queries' transaction begins: a planner sees a
      // table filled in its own open transaction as empty (DuckDB then planned the 1M-row join of
      // the bench 0.4 s slower). The table is the session's own, and dropped when the job closes.
      connection.setAutoCommit(true);
      String name = EntityRows.newTableName(Instant.now());
      EntityRows rows = entityRows(name, joinKeys(), allocator, release.owned);
      release.table = context.dialect().shipEntityRows(connection, rows);
      connection.setAutoCommit(!context.dialect().transactions());
      String table = release.table.relation();
      List<ViewResult> results = new ArrayList<>();
      for (int v = 0; v < plan.views().size(); v++) {
        PreparedStatement query =
            connection.prepareStatement(
                context.dialect().pointInTimeSql(pointInTimeQuery(connection, table, v)));
        release.statements.add(query);
        query.setFetchSize(context.config().fetchSize());
        JdbcStatements.timeout(query, context.timeoutSeconds());
        List<ArrowType> types = new ArrayList<>();
        types.add(new ArrowType.Int(64, true));
        plan.views().get(v).features().forEach(f -> types.add(f.feature().type().arrowType()));
        results.add(
            new ViewResult(
                context
                    .dialect()
                    .resultBatches(
                        query.executeQuery(), types, allocator, context.config().batchSize()),
                plan.views().get(v).features()));
      }
      return new JoinedStream(plan, entityRows, results, allocator, release);
    } catch (SQLException | RuntimeException e) {
      if (release != null) {
        release.close();
      } else if (lease != null) {
        lease.close();
      }
      allocator.close();
      if (e instanceof FlightdeckException flightdeck) {
        throw flightdeck;
      }
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "get_historical_features failed in the database: " + e.getMessage(),
          e);
    }
  }

  /** Every join key any requested view needs, in first-seen order. */
  private List<String> joinKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (ViewRequest view : plan.views()) {
      keys.addAll(view.joinKeys());
    }
    return new ArrayList<>(keys);
  }

  /**
   * The entity rows as the database gets them: row number, join keys, timestamp and each TTL's
   * lower bound, timestamps as microseconds in UTC, whatever unit the caller sent. The columns made
   * here are added to {@code owned}.
   */
  private EntityRows entityRows(
      String table, List<String> keys, BufferAllocator allocator, List<FieldVector> owned) {
    SqlNames names = context.names();
    int rows = entityRows.getRowCount();
    List<EntityRows.Column> columns = new ArrayList<>();
    BigIntVector rowNumbers = new BigIntVector(ROW, allocator);
    owned.add(rowNumbers);
    columns.add(new EntityRows.Column(ROW, names.quote(ROW, "column"), rowNumbers));
    rowNumbers.allocateNew(rows);
    for (int row = 0; row < rows; row++) {
      rowNumbers.set(row, row);
    }
    rowNumbers.setValueCount(rows);
    List<String> quotedKeys = new ArrayList<>();
    for (String key : keys) {
      quotedKeys.add(names.quote(key, "join key"));
      columns.add(
          new EntityRows.Column(
              key, quotedKeys.get(quotedKeys.size() - 1), wideKey(key, allocator, owned)));
    }
    TimeStampVector timestamps =
        (TimeStampVector)
            entityRows.getVector(RetrievalPlan.entityTimestampColumn(entityRows.getSchema()));
    TimeStampMicroTZVector micros = new TimeStampMicroTZVector(TIMESTAMP, allocator, "UTC");
    owned.add(micros);
    columns.add(new EntityRows.Column(TIMESTAMP, names.quote(TIMESTAMP, "column"), micros));
    micros.allocateNew(rows);
    for (int row = 0; row < rows; row++) {
      micros.set(row, Timestamps.epochMicros(timestamps, row));
    }
    micros.setValueCount(rows);
    for (int v = 0; v < plan.views().size(); v++) {
      ViewRequest view = plan.views().get(v);
      if (view.view().hasTtl()) {
        long ttlMicros = view.view().ttl().toNanos() / 1_000;
        TimeStampMicroTZVector lower = new TimeStampMicroTZVector(lowerBound(v), allocator, "UTC");
        owned.add(lower);
        columns.add(
            new EntityRows.Column(lowerBound(v), names.quote(lowerBound(v), "column"), lower));
        lower.allocateNew(rows);
        for (int row = 0; row < rows; row++) {
          lower.set(row, Math.subtractExact(micros.get(row), ttlMicros));
        }
        lower.setValueCount(rows);
      }
    }
    return new EntityRows(table, names.quote(table, "table"), names, columns, quotedKeys, rows);
  }

  /** A join key column with integers of any width as 64-bit ones, strings as they are. */
  private FieldVector wideKey(String key, BufferAllocator allocator, List<FieldVector> owned) {
    FieldVector vector = entityRows.getVector(key);
    if (vector instanceof BigIntVector || !(vector instanceof BaseIntVector integers)) {
      return vector;
    }
    BigIntVector wide = new BigIntVector(key, allocator);
    owned.add(wide);
    wide.allocateNew(vector.getValueCount());
    for (int row = 0; row < vector.getValueCount(); row++) {
      if (vector.isNull(row)) {
        wide.setNull(row);
      } else {
        wide.set(row, integers.getValueAsLong(row));
      }
    }
    wide.setValueCount(vector.getValueCount());
    return wide;
  }

  /** One view's features as they come back, in entity order. */
  record ViewResult(ResultBatches batches, List<ResolvedFeature> features) {}

  /** View {@code v}'s point-in-time join, for the dialect to write as SQL. */
  private PointInTimeQuery pointInTimeQuery(Connection connection, String entityTable, int v) {
    SqlNames names = context.names();
    ViewRequest view = plan.views().get(v);
    SourceRelation source = context.relation(view.source());
    String alias = PointInTimeQuery.SOURCE;
    List<PointInTimeQuery.Key> keys = new ArrayList<>();
    for (String key : view.joinKeys()) {
      keys.add(new PointInTimeQuery.Key(names.quote(key, "join key"), source.column(alias, key)));
    }
    List<PointInTimeQuery.Feature> features = new ArrayList<>();
    for (int f = 0; f < view.features().size(); f++) {
      features.add(
          new PointInTimeQuery.Feature(
              source.column(alias, view.features().get(f).feature().name()),
              names.quote(featureAlias(v, f), "column")));
    }
    String timestamp = view.source().timestampField();
    boolean indexed =
        context.dialect().choosesByIndexes()
            && source.indexedOn(
                connection, view.joinKeys().isEmpty() ? List.of(timestamp) : view.joinKeys());
    return new PointInTimeQuery(
        entityTable,
        names.quote(ROW, "column"),
        names.quote(TIMESTAMP, "column"),
        view.view().hasTtl() ? Optional.of(names.quote(lowerBound(v), "column")) : Optional.empty(),
        keys,
        source.from(alias),
        source.column(alias, timestamp),
        view.source().createdTimestampColumn().map(created -> source.column(alias, created)),
        features,
        indexed);
  }

  private static String featureAlias(int view, int feature) {
    return String.format(Locale.ROOT, "fd_v%d_f%d", view, feature);
  }

  private static String lowerBound(int view) {
    return "fd_lower_" + view;
  }

  @Override
  public long persist(String destination, boolean allowOverwrite) {
    return persister.persist(this, destination, allowOverwrite);
  }

  @Override
  public void close() {
    // Each stream owns its connection and memory.
  }

  /**
   * Gives back what a running query holds: the statements, the entity table, the entity columns
   * made for it, the connection.
   */
  private static final class Release implements AutoCloseable {
    private final ConnectionPool.Lease lease;
    private final boolean transaction;
    private final List<Statement> statements = new ArrayList<>();
    private final List<FieldVector> owned = new ArrayList<>();
    private EntityTable table;

    Release(ConnectionPool.Lease lease, boolean transaction) {
      this.lease = lease;
      this.transaction = transaction;
    }

    @Override
    public void close() {
      for (Statement statement : statements) {
        try {
          statement.close();
        } catch (SQLException e) {
          lease.markBroken();
        }
      }
      try {
        Connection connection = lease.connection();
        if (transaction && !connection.getAutoCommit()) {
          connection.rollback();
        }
        if (table != null) {
          table.drop(connection);
        }
        if (transaction && !connection.getAutoCommit()) {
          connection.commit();
        }
      } catch (SQLException e) {
        lease.markBroken();
      } finally {
        owned.forEach(FieldVector::close);
        lease.close();
      }
    }
  }
}
