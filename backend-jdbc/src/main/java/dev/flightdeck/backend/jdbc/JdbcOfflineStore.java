package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.SourceValidation;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The offline store over a relational database: joins, pulls and writes run as SQL in the database,
 * and results stream to Arrow. Every view's source is checked against the database when the store
 * is created, so a wrong repository fails at start.
 */
public final class JdbcOfflineStore implements OfflineStore {
  private final JdbcContext context;
  private final TableWriter writer;

  JdbcOfflineStore(JdbcContext context) {
    this.context = requireNonNull(context, "context is null");
    this.writer = new TableWriter(context);
    context.repository().featureViews().forEach(JdbcOfflineStore::refuseLists);
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      for (FeatureView view : context.repository().featureViews()) {
        checkView(
            view,
            context.relation(view.source()).columns(lease.connection(), context.timeoutSeconds()));
      }
    }
  }

  /**
   * List features ({@code Array(...)}) are not served: databases spell arrays differently or not at
   * all (PostgreSQL and DuckDB have them, H2's lack element types, arrow-jdbc reads none of them),
   * so the store refuses them at start rather than answer some databases and not others.
   */
  private static void refuseLists(FeatureView view) {
    for (Feature feature : view.features()) {
      if (feature.type().isList()) {
        throw new FlightdeckException(
            ErrorCode.UNSUPPORTED_DEFINITION,
            "feature view '"
                + view.name()
                + "': feature '"
                + feature.name()
                + "' is "
                + feature.type().dtype()
                + ", and the jdbc backend does not serve list features (the file backend does)");
      }
    }
  }

  /** The declared features, join keys and timestamps must be columns of the right types. */
  private void checkView(FeatureView view, Map<String, SourceRelation.Column> columns) {
    DataSource source = context.repository().dataSource(view.source());
    SourceRelation relation = context.relation(source);
    List<String> problems = new ArrayList<>();
    for (Feature feature : view.features()) {
      SourceRelation.Column column = columns.get(relation.storedName(feature.name()));
      if (column == null) {
        problems.add("feature column '" + relation.storedName(feature.name()) + "' is missing");
      } else if (!column.arrowType().equals(feature.type().arrowType())) {
        problems.add(
            "column '"
                + column.name()
                + "' is "
                + column.typeName()
                + ", but the schema declares "
                + feature.type().dtype());
      }
    }
    for (String key : context.repository().joinKeys(view)) {
      SourceRelation.Column column = columns.get(relation.storedName(key));
      if (column == null) {
        problems.add("join key column '" + relation.storedName(key) + "' is missing");
      } else if (JoinKeys.kindOf(column.arrowType()) == null) {
        problems.add(
            "join key column '"
                + column.name()
                + "' is "
                + column.typeName()
                + "; join keys must be integers or strings");
      }
    }
    List<String> timestamps = new ArrayList<>(List.of(source.timestampField()));
    source.createdTimestampColumn().ifPresent(timestamps::add);
    for (String name : timestamps) {
      SourceRelation.Column column = columns.get(name);
      if (column == null) {
        problems.add("timestamp column '" + name + "' is missing");
      } else if (!(column.arrowType() instanceof ArrowType.Timestamp)) {
        problems.add("column '" + name + "' is " + column.typeName() + ", not a timestamp");
      }
    }
    if (!problems.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "feature view '"
              + view.name()
              + "' on source '"
              + source.name()
              + "': "
              + String.join("; ", problems));
    }
  }

  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    if (!request.hasEntityRows()) {
      return new RangeJob(context, request, writer);
    }
    RetrievalPlan plan = RetrievalPlan.create(context.repository(), request);
    RetrievalPlan.checkEntityRows(request.entityRows());
    checkJoinKeyKinds(plan);
    return new HistoricalJob(context, plan, request.entityRows(), writer);
  }

  /** A string entity key never equals an integer source key: refuse rather than return nulls. */
  private void checkJoinKeyKinds(RetrievalPlan plan) {
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      for (ViewRequest view : plan.views()) {
        SourceRelation relation = context.relation(view.source());
        Map<String, SourceRelation.Column> columns =
            relation.columns(lease.connection(), context.timeoutSeconds());
        for (String key : view.joinKeys()) {
          Field field = plan.entitySchema().findField(key);
          JoinKeys.Kind entity = JoinKeys.kindOf(field.getType());
          JoinKeys.Kind stored = JoinKeys.kindOf(columns.get(relation.storedName(key)).arrowType());
          if (entity != stored) {
            throw new FlightdeckException(
                ErrorCode.INVALID_ENTITY_TABLE,
                "entity table column '"
                    + key
                    + "' is "
                    + TypeNames.of(field.getType())
                    + ", but feature view '"
                    + view.view().name()
                    + "' stores it as "
                    + stored.name().toLowerCase()
                    + " in source '"
                    + view.source().name()
                    + "'");
          }
        }
      }
    }
  }

  @Override
  public RetrievalJob pullLatestFromTableOrQuery(PullRequest request) {
    return new PullJob(context, request, PullJob.Mode.LATEST, writer);
  }

  @Override
  public RetrievalJob pullAllFromTableOrQuery(PullRequest request) {
    return new PullJob(context, request, PullJob.Mode.ALL, writer);
  }

  @Override
  public long offlineWriteBatch(
      String featureView, org.apache.arrow.vector.VectorSchemaRoot table) {
    return writer.writeBatch(featureView, table);
  }

  @Override
  public long writeLoggedFeatures(
      String featureService, org.apache.arrow.vector.VectorSchemaRoot logs) {
    return writer.writeLogs(featureService, logs);
  }

  @Override
  public void validateDataSource(String dataSource) {
    DataSource source = context.repository().dataSource(dataSource);
    Map<String, SourceRelation.Column> columns;
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      // An unreadable relation is reported as INVALID_DATA_SOURCE naming the source already.
      columns = context.relation(source).columns(lease.connection(), context.timeoutSeconds());
    }
    try {
      for (FeatureView view : context.repository().featureViews()) {
        if (view.source().equals(source.name())) {
          checkView(view, columns);
        }
      }
      if (!columns.containsKey(source.timestampField())) {
        throw new FlightdeckException(
            ErrorCode.INVALID_DATA_SOURCE,
            "timestamp column '" + source.timestampField() + "' is missing");
      }
    } catch (FlightdeckException e) {
      throw SourceValidation.notValid(dataSource, e);
    }
  }

  /** The source's columns, typed with the repository's dtype names as the file backend does. */
  @Override
  public List<SourceColumn> getTableColumnNamesAndTypes(String dataSource) {
    SourceRelation relation = context.relation(dataSource);
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      return relation.columns(lease.connection(), context.timeoutSeconds()).values().stream()
          .map(column -> new SourceColumn(column.name(), TypeNames.of(column.arrowType())))
          .toList();
    }
  }

  @Override
  public Optional<FeatureRepository> repository() {
    return Optional.of(context.repository());
  }

  @Override
  public void close() {
    try {
      context.pool().close();
    } finally {
      context.allocator().close();
    }
  }
}
