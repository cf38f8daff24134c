package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.retrieval.RangeRows;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.TimeRange;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * {@code get_historical_features} without an entity table: the entity rows are the distinct (join
 * keys, timestamp) of the requested views' source rows in the range, selected in the database and
 * ordered by time then keys; then the usual point-in-time join runs over them. Keyed views must
 * share their join keys; entity-less views give the rows only when no keyed view is asked.
 */
final class RangeJob implements RetrievalJob {
  private final JdbcContext context;
  private final TimeRange range;
  private final List<FeatureView> rowViews;
  private final List<String> joinKeys;
  private final RetrievalPlan plan;
  private final TableWriter persister;

  RangeJob(JdbcContext context, HistoricalFeaturesRequest request, TableWriter persister) {
    this.context = requireNonNull(context, "context is null");
    this.persister = requireNonNull(persister, "persister is null");
    this.range = request.range().orElseThrow();
    RangeRows rows = RangeRows.of(context.repository(), request.features());
    this.rowViews = rows.views();
    this.joinKeys = rows.joinKeys();
    SourceRelation first = context.relation(rowViews.get(0).source());
    Map<String, SourceRelation.Column> columns;
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      columns = first.columns(lease.connection(), context.timeoutSeconds());
    }
    this.plan =
        RetrievalPlan.create(
            context.repository(),
            rows.entitySchema(key -> columns.get(first.storedName(key)).arrowType()),
            request.features(),
            request.fullFeatureNames());
  }

  @Override
  public Schema schema() {
    return plan.outputSchema();
  }

  @Override
  public RecordBatchStream stream() {
    VectorSchemaRoot entities = entityRows();
    try {
      RecordBatchStream joined = new HistoricalJob(context, plan, entities, persister).stream();
      return RecordBatchStream.alsoClosing(joined, entities);
    } catch (RuntimeException e) {
      entities.close();
      throw e;
    }
  }

  private VectorSchemaRoot entityRows() {
    SqlNames names = context.names();
    List<String> selects = new ArrayList<>();
    for (FeatureView view : rowViews) {
      SourceRelation source = context.relation(view.source());
      List<String> columns = new ArrayList<>();
      for (String key : joinKeys) {
        columns.add(source.column("s", key) + " AS " + names.quote(key, "join key"));
      }
      String timestamp =
          source.column("s", context.repository().dataSource(view.source()).timestampField());
      columns.add(
          timestamp + " AS " + names.quote(HistoricalFeaturesRequest.EVENT_TIMESTAMP, "column"));
      selects.add(
          "SELECT "
              + String.join(", ", columns)
              + " FROM "
              + source.from("s")
              + " WHERE "
              + timestamp
              + " >= ? AND "
              + timestamp
              + " <= ?");
    }
    List<String> order = new ArrayList<>();
    order.add(names.quote(HistoricalFeaturesRequest.EVENT_TIMESTAMP, "column"));
    joinKeys.forEach(key -> order.add(names.quote(key, "join key")));
    String sql =
        // DISTINCT in a subquery: Trino wants a DISTINCT's ORDER BY columns named, not '*'.
        "SELECT * FROM (SELECT DISTINCT * FROM ("
            + String.join(" UNION ALL ", selects)
            + ") u) r ORDER BY "
            + String.join(", ", order);
    List<ArrowType> types = plan.entitySchema().getFields().stream().map(Field::getType).toList();
    VectorSchemaRoot all = VectorSchemaRoot.create(plan.entitySchema(), context.allocator());
    try (ConnectionPool.Lease lease = context.pool().borrow();
        PreparedStatement query = lease.connection().prepareStatement(sql)) {
      int parameter = 1;
      for (int v = 0; v < rowViews.size(); v++) {
        query.setObject(
            parameter++, BatchInsertLoader.utc(Timestamps.toMicros(range.start().orElseThrow())));
        query.setObject(
            parameter++, BatchInsertLoader.utc(Timestamps.toMicros(range.end().orElseThrow())));
      }
      JdbcStatements.timeout(query, context.timeoutSeconds());
      all.allocateNew();
      all.setRowCount(0);
      try (ResultBatches batches =
          context
              .dialect()
              .resultBatches(
                  query.executeQuery(), types, context.allocator(), context.config().batchSize())) {
        while (true) {
          try (VectorSchemaRoot batch = batches.next()) {
            if (batch == null) {
              break;
            }
            VectorSchemaRootAppender.append(false, all, batch);
          }
        }
      }
      return all;
    } catch (SQLException | RuntimeException e) {
      all.close();
      if (e instanceof FlightdeckException flightdeck) {
        throw flightdeck;
      }
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "selecting the entity rows in range failed: " + e.getMessage(),
          e);
    }
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
