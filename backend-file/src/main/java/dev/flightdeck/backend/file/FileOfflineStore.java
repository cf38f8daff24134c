package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.retrieval.SourceValidation;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import dev.flightdeck.tables.ParquetColumn;
import dev.flightdeck.tables.ParquetTableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The offline store over a repository's Parquet files; it owns a child of the context's allocator.
 */
public final class FileOfflineStore implements OfflineStore {
  private final OfflineStoreContext context;
  private final FileBackendConfig config;
  private final SourceCatalog catalog;
  private final BufferAllocator allocator;
  private final ResultPersister persister;
  private final BatchWriter writer;
  private final ViewCache cache;
  private final ViewReaders readers;
  private final SourcePaths paths;
  private final ViewPrefetcher prefetcher;

  @Inject
  public FileOfflineStore(
      OfflineStoreContext context, FileBackendConfig config, SourceCatalog catalog) {
    this.context = requireNonNull(context, "context is null");
    this.config = requireNonNull(config, "config is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.allocator = context.allocator().newChildAllocator("file-offline-store", 0, Long.MAX_VALUE);
    this.paths = SourcePaths.of(context);
    this.persister = new ResultPersister(context.repositoryDir(), config.outputDir(), allocator);
    this.writer = new BatchWriter(paths, context.repository(), allocator);
    this.cache = new ViewCache(allocator, config.cacheSize());
    this.readers = new ViewReaders(paths, cache, Runtime.getRuntime().availableProcessors());
    this.prefetcher = new ViewPrefetcher(context.repository(), readers);
  }

  /** Starts loading the views of {@code featureReferences} into the cache, if it is on. */
  @Override
  public void prefetch(List<String> featureReferences) {
    prefetcher.prefetch(featureReferences);
  }

  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    if (!request.hasEntityRows()) {
      return new RangeRetrievalJob(
          paths, context.repository(), request, allocator, config.batchSize(), persister, readers);
    }
    RetrievalPlan plan = RetrievalPlan.create(context.repository(), request);
    for (ViewRequest view : plan.views()) {
      checkJoinKeyKinds(plan, view);
    }
    RetrievalPlan.checkEntityRows(request.entityRows());
    return new FileRetrievalJob(
        readers, plan, request.entityRows(), allocator, config.batchSize(), persister);
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
                + TypeNames.of(field.getType())
                + ", but feature view '"
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

  @Override
  public RetrievalJob pullLatestFromTableOrQuery(PullRequest request) {
    return pull(request, PullJob.Mode.LATEST);
  }

  @Override
  public RetrievalJob pullAllFromTableOrQuery(PullRequest request) {
    return pull(request, PullJob.Mode.ALL);
  }

  private RetrievalJob pull(PullRequest request, PullJob.Mode mode) {
    DataSource source = context.repository().dataSource(request.dataSource());
    return new PullJob(
        new SourceTable(paths, source), request, mode, allocator, config.batchSize(), persister);
  }

  @Override
  public long offlineWriteBatch(String featureView, VectorSchemaRoot table) {
    try {
      return writer.writeBatch(featureView, table);
    } finally {
      // The files' new version would miss the cache anyway; this frees the old one at once.
      String source = context.repository().featureView(featureView).source();
      for (FeatureView view : context.repository().featureViews()) {
        if (view.source().equals(source)) {
          cache.invalidate(view.name());
        }
      }
    }
  }

  @Override
  public long writeLoggedFeatures(String featureService, VectorSchemaRoot logs) {
    return writer.writeLogs(featureService, logs);
  }

  /**
   * Every file of the source must be readable, and give each view on the source its join keys,
   * timestamps and declared features; a source no view uses needs its timestamp column.
   */
  @Override
  public void validateDataSource(String dataSource) {
    DataSource source = context.repository().dataSource(dataSource);
    try {
      SourceTable table = new SourceTable(paths, source);
      table.schema(List.of(source.timestampField()));
      for (FeatureView view : context.repository().featureViews()) {
        if (view.source().equals(source.name())) {
          SourceCatalog.checkView(context.repository(), paths, view, source);
        }
      }
    } catch (FlightdeckException e) {
      throw SourceValidation.notValid(dataSource, e);
    }
  }

  /**
   * Columns as stored in the source's first file, typed with the repository's dtype names (as the
   * JDBC backend names them); a column Flightdeck cannot read shows its Parquet type.
   */
  @Override
  public List<SourceColumn> getTableColumnNamesAndTypes(String dataSource) {
    DataSource source = context.repository().dataSource(dataSource);
    Path first = new SourceTable(paths, source).files().get(0);
    List<SourceColumn> columns = new ArrayList<>();
    for (ParquetColumn column : ParquetTableReader.columns(first)) {
      columns.add(
          new SourceColumn(
              column.name(), column.valueType().map(ValueType::dtype).orElse(column.describe())));
    }
    return columns;
  }

  @Override
  public Optional<FeatureRepository> repository() {
    return Optional.of(context.repository());
  }

  /** The cache of decoded views, for tests. */
  ViewCache viewCache() {
    return cache;
  }

  @Override
  public void close() {
    try (BufferAllocator closeAllocator = allocator;
        ViewCache closeCache = cache;
        ViewReaders closeReaders = readers;
        ViewPrefetcher closePrefetcher = prefetcher) {
      // closed in reverse order: prefetches, decoding threads, the cache, then the allocator
    }
  }
}
