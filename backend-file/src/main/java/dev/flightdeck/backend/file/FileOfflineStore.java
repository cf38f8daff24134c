package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RetrievalJob;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The offline store over a repository's Parquet files; it owns a child of the context's allocator.
 */
public final class FileOfflineStore implements OfflineStore {
  private final OfflineStoreContext context;
  private final FileBackendConfig config;
  private final SourceCatalog catalog;
  private final BufferAllocator allocator;

  @Inject
  public FileOfflineStore(
      OfflineStoreContext context, FileBackendConfig config, SourceCatalog catalog) {
    this.context = requireNonNull(context, "context is null");
    this.config = requireNonNull(config, "config is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.allocator = context.allocator().newChildAllocator("file-offline-store", 0, Long.MAX_VALUE);
  }

  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    RetrievalPlan plan = RetrievalPlan.create(context.repository(), request);
    for (ViewRequest view : plan.views()) {
      checkJoinKeyKinds(plan, view);
    }
    RetrievalPlan.checkEntityRows(request.entityRows());
    return new FileRetrievalJob(
        context.repositoryDir(), plan, request.entityRows(), allocator, config.batchSize());
  }

  /**
   * A string entity key never equals an integer source key: refuse rather than return only nulls.
   */
  private void checkJoinKeyKinds(RetrievalPlan plan, ViewRequest view) {
    List<JoinKeys.Kind> sourceKinds = catalog.joinKeyKinds(view.view().name());
    for (int i = 0; i < view.joinKeys().size(); i++) {
      String key = view.joinKeys().get(i);
      Field field = plan.entitySchema().findField(key);
      JoinKeys.Kind entityKind = JoinKeys.kindOf(field.getType());
      if (entityKind != sourceKinds.get(i)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_ENTITY_TABLE,
            "entity table column '"
                + key
                + "' is "
                + field.getType()
                + " ("
                + describe(entityKind)
                + "), but feature view '"
                + view.view().name()
                + "' stores it as "
                + describe(sourceKinds.get(i))
                + " in source '"
                + view.source().name()
                + "'");
      }
    }
  }

  private static String describe(JoinKeys.Kind kind) {
    return kind == JoinKeys.Kind.INTEGER ? "an integer" : "a string";
  }

  // TODO(issue 3): temporary until the API lands in this module.
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
}
