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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
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
    String table = null;
    List<Statement> statements = new ArrayList<>();
    try {
      lease = context.pool().borrow();
      Connection connection = lease.connection();
      connection.setAutoCommit(false); // PostgreSQL streams with a cursor only in a transaction
      table = "fd_entities_" + UUID.randomUUID().toString().replace("-", "");
      List<String> keys = joinKeys();
      createEntityTable(connection, table, keys);
      loadEntityRows(connection, table, keys, allocator);
      if (context.dialect().indexesEntityTable()) {
        indexEntityRows(connection, table, keys);
      }
      List<ViewResult> results = new ArrayList<>();
      for (int v = 0; v < plan.views().size(); v++) {
        PreparedStatement query =
            connection.prepareStatement(
                context.dialect().pointInTimeSql(pointInTimeQuery(connection, table, v)));
        statements.add(query);
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
      return new JoinedStream(
          plan, entityRows, results, allocator, new Release(lease, statements, table, context));
    } catch (SQLException | RuntimeException e) {
      if (lease != null) {
        new Release(lease, statements, table, context).closeQuietly();
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

  private void createEntityTable(Connection connection, String table, List<String> keys)
      throws SQLException {
    SqlNames names = context.names();
    List<String> columns = new ArrayList<>();
    columns.add(names.quote(ROW, "column") + " BIGINT");
    for (String key : keys) {
      ArrowType type = entityRows.getSchema().findField(key).getType();
      columns.add(
          names.quote(key, "join key")
              + " "
              + (type instanceof ArrowType.Utf8 ? "VARCHAR" : "BIGINT"));
    }
    columns.add(names.quote(TIMESTAMP, "column") + " TIMESTAMP");
    for (int v = 0; v < plan.views().size(); v++) {
      if (plan.views().get(v).view().hasTtl()) {
        columns.add(names.quote(lowerBound(v), "column") + " TIMESTAMP");
      }
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          context
              .dialect()
              .createTemporaryTable(names.quote(table, "table"), String.join(", ", columns)));
    }
  }

  private void loadEntityRows(
      Connection connection, String table, List<String> keys, BufferAllocator allocator)
      throws SQLException {
    SqlNames names = context.names();
    int rows = entityRows.getRowCount();
    List<FieldVector> owned = new ArrayList<>();
    try {
      List<String> columns = new ArrayList<>();
      List<FieldVector> vectors = new ArrayList<>();
      BigIntVector rowNumbers = new BigIntVector(ROW, allocator);
      owned.add(rowNumbers);
      rowNumbers.allocateNew(rows);
      for (int row = 0; row < rows; row++) {
        rowNumbers.set(row, row);
      }
      rowNumbers.setValueCount(rows);
      columns.add(names.quote(ROW, "column"));
      vectors.add(rowNumbers);
      for (String key : keys) {
        columns.add(names.quote(key, "join key"));
        vectors.add(entityRows.getVector(key));
      }
      TimeStampVector timestamps =
          (TimeStampVector)
              entityRows.getVector(RetrievalPlan.entityTimestampColumn(entityRows.getSchema()));
      columns.add(names.quote(TIMESTAMP, "column"));
      vectors.add(timestamps);
      for (int v = 0; v < plan.views().size(); v++) {
        ViewRequest view = plan.views().get(v);
        if (view.view().hasTtl()) {
          long ttlMicros = view.view().ttl().toNanos() / 1_000;
          TimeStampMicroTZVector lower =
              new TimeStampMicroTZVector(lowerBound(v), allocator, "UTC");
          owned.add(lower);
          lower.allocateNew(rows);
          for (int row = 0; row < rows; row++) {
            lower.set(row, Math.subtractExact(Timestamps.epochMicros(timestamps, row), ttlMicros));
          }
          lower.setValueCount(rows);
          columns.add(names.quote(lowerBound(v), "column"));
          vectors.add(lower);
        }
      }
      context
          .dialect()
          .temporaryTableLoader(table)
          .load(connection, names.quote(table, "table"), columns, vectors, rows);
    } finally {
      owned.forEach(FieldVector::close);
    }
  }

  /** One view's features as they come back, in entity order. */
  record ViewResult(ResultBatches batches, List<ResolvedFeature> features) {}

  /**
   * An index on the join keys lets the database drive the join from the (usually smaller) source
   * side and probe the entity rows, instead of comparing every pair.
   */
  private void indexEntityRows(Connection connection, String table, List<String> keys)
      throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    SqlNames names = context.names();
    List<String> columns = new ArrayList<>();
    for (String key : keys) {
      columns.add(names.quote(key, "join key"));
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE INDEX "
              + names.quote(table + "_keys", "index")
              + " ON "
              + names.quote(table, "table")
              + " ("
              + String.join(", ", columns)
              + ")");
    }
  }

  /** View {@code v}'s point-in-time join, for the dialect to write as SQL. */
  private PointInTimeQuery pointInTimeQuery(Connection connection, String table, int v) {
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
        names.quote(table, "table"),
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

  /** Gives back what a running query holds: the statement, the temporary table, the connection. */
  private record Release(
      ConnectionPool.Lease lease, List<Statement> statements, String table, JdbcContext context)
      implements AutoCloseable {
    @Override
    public void close() {
      closeQuietly();
    }

    void closeQuietly() {
      for (Statement statement : statements) {
        try {
          statement.close();
        } catch (SQLException e) {
          lease.markBroken();
        }
      }
      try {
        Connection connection = lease.connection();
        connection.rollback(); // drops a temporary table made in this transaction, where DDL is
        if (table != null) {
          try (Statement drop = connection.createStatement()) {
            drop.execute("DROP TABLE IF EXISTS " + context.names().quote(table, "table"));
          } catch (SQLException e) {
            // already gone with the rollback
          }
        }
        connection.commit();
      } catch (SQLException e) {
        lease.markBroken();
      } finally {
        lease.close();
      }
    }
  }
}
