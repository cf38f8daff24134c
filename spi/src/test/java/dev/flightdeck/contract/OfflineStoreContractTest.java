package dev.flightdeck.contract;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import dev.flightdeck.spi.TimeRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The whole offline-store contract: the retrieval semantics of {@link RetrievalContractTest} and
 * every other API of Feast's offline store. Subclass it once per backend, and once per backend
 * behind the remote store, so all give the same answers.
 *
 * <p>Backends interpret the repository's write destinations in their own terms: the service {@code
 * driver_activity} logs to {@code driver_activity_logs}, and {@code persist} must be enabled by the
 * subclass's configuration.
 */
public abstract class OfflineStoreContractTest extends RetrievalContractTest {
  private static final Instant NINE = at("2024-01-01T09:00:00Z");
  private static final Instant TEN = at("2024-01-01T10:00:00Z");
  private static final Instant ELEVEN = at("2024-01-01T11:00:00Z");
  private static final Instant NOON = at("2024-01-01T12:00:00Z");

  // ---- pull_latest_from_table_or_query ------------------------------------------------------

  @Test
  void pullLatestKeepsTheLatestRowPerKeyInRange() throws Exception {
    OfflineStore store = pullStore();

    List<List<Object>> rows =
        rows(store.pullLatestFromTableOrQuery(pull(TimeRange.between(NINE, NOON), true)));

    assertThat(rows)
        .containsExactly(
            List.of(1L, 0.3f, 30L, ELEVEN, at("2024-01-01T11:30:00Z")), // tie: latest created
            List.of(2L, 0.5f, 50L, NINE, NINE)); // start is inclusive; 12:30 is past the end
  }

  @Test
  void pullLatestNeedsBothEnds() throws Exception {
    OfflineStore store = pullStore();
    assertFails(
        () ->
            rows(
                store.pullLatestFromTableOrQuery(
                    pull(new TimeRange(Optional.of(NINE), Optional.empty()), true))),
        ErrorCode.MISSING_PARAMETER,
        "end_date");
  }

  @Test
  void pullLatestRenamesMappedColumns() throws Exception {
    OfflineStore store =
        store(
            driverStats(),
            customerStats()
                .row(7L, 1L, NINE, 1.5, "gold")
                .row(7L, 1L, TEN, 2.5, "silver")
                .row(8L, 2L, TEN, 3.5, "bronze"));
    PullRequest request =
        new PullRequest(
            "customer_stats",
            List.of("customer_id"),
            List.of("balance", "tier"),
            "ts",
            Optional.empty(),
            TimeRange.between(NINE, NOON));

    try (RetrievalJob job = store.pullLatestFromTableOrQuery(request)) {
      assertThat(job.schema().getFields())
          .extracting(field -> field.getName())
          .containsExactly("customer_id", "balance", "tier", "ts");
      assertThat(rows(job))
          .containsExactly(List.of(7L, 2.5, "silver", TEN), List.of(8L, 3.5, "bronze", TEN));
    }
  }

  // ---- pull_all_from_table_or_query ---------------------------------------------------------

  @Test
  void pullAllReturnsEveryRowInRangeByTimeThenCreated() throws Exception {
    OfflineStore store = pullStore();

    assertThat(rows(store.pullAllFromTableOrQuery(pull(TimeRange.between(TEN, NOON), true))))
        .containsExactly(
            List.of(1L, 0.1f, 10L, TEN, TEN),
            List.of(1L, 0.2f, 20L, ELEVEN, ELEVEN),
            List.of(1L, 0.3f, 30L, ELEVEN, at("2024-01-01T11:30:00Z")));
    assertThat(
            rows(
                store.pullAllFromTableOrQuery(
                    pull(new TimeRange(Optional.empty(), Optional.of(NINE)), false))))
        .containsExactly(
            List.of(3L, 0.7f, 70L, at("2024-01-01T07:00:00Z")), List.of(2L, 0.5f, 50L, NINE));
    assertThat(rows(store.pullAllFromTableOrQuery(pull(TimeRange.ALL, false)))).hasSize(6);
  }

  @Test
  void pullNamesMustExist() throws Exception {
    OfflineStore store = pullStore();
    PullRequest unknownSource =
        new PullRequest(
            "nope",
            List.of("driver_id"),
            List.of("conv_rate"),
            "ts",
            Optional.empty(),
            TimeRange.ALL);
    assertFails(
        () -> rows(store.pullAllFromTableOrQuery(unknownSource)),
        ErrorCode.UNKNOWN_DATA_SOURCE,
        "'nope'");
    PullRequest unknownColumn =
        new PullRequest(
            "driver_stats",
            List.of("driver_id"),
            List.of("speed"),
            "ts",
            Optional.empty(),
            TimeRange.ALL);
    assertFails(
        () -> rows(store.pullAllFromTableOrQuery(unknownColumn)),
        ErrorCode.UNKNOWN_COLUMN,
        "'speed'");
  }

  // ---- get_historical_features without an entity table, and entity-less views ---------------

  @Test
  void retrievalByTimeRangeUsesEveryFeatureRowInRange() throws Exception {
    OfflineStore store = pullStore();
    HistoricalFeaturesRequest request =
        HistoricalFeaturesRequest.forRange(List.of("driver_hourly:conv_rate"), TEN, NOON);

    try (RetrievalJob job = store.getHistoricalFeatures(request)) {
      assertThat(job.schema().getFields())
          .extracting(field -> field.getName())
          .containsExactly("driver_id", "event_timestamp", "conv_rate");
      assertThat(rows(job))
          .containsExactly(
              List.of(1L, TEN, 0.1f),
              List.of(1L, ELEVEN, 0.3f)); // one row per (key, time); the tie goes to the latest
    }
  }

  @Test
  void entityLessViewsJoinOnTimeAlone() throws Exception {
    OfflineStore store =
        store(
            driverStats().row(1L, TEN, TEN, 0.5f, 5L),
            customerStats(),
            globalStats().row(NINE, 100L).row(ELEVEN, 200L));
    VectorSchemaRoot entities =
        entities(
            row(1L, at("2024-01-01T10:30:00Z")),
            row(2L, NOON),
            row(1L, at("2024-01-01T08:00:00Z")));

    assertThat(retrieve(store, entities, "driver_hourly:trips", "global_daily:total_trips"))
        .containsExactly(
            List.of(1L, at("2024-01-01T10:30:00Z"), 5L, 100L),
            Arrays.asList(2L, NOON, null, 200L),
            Arrays.asList(1L, at("2024-01-01T08:00:00Z"), null, null));
  }

  // ---- offline_write_batch -------------------------------------------------------------------

  @Test
  void writtenRowsAreSeenByTheNextRetrieval() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities = entities(row(1L, NOON));
    assertThat(retrieve(store, entities, "driver_hourly:trips"))
        .containsExactly(List.of(1L, NOON, 11L));

    // Columns in another order than stored: they are matched by name.
    VectorSchemaRoot batch =
        track(
            TestTable.with(allocator)
                .int64("trips")
                .float32("conv_rate")
                .timestamp("created")
                .timestamp("ts")
                .int64("driver_id")
                .row(12L, 0.5f, NOON, NOON, 1L)
                .row(99L, 0.9f, NOON, NOON, 9L)
                .build());
    assertThat(store.offlineWriteBatch("driver_hourly", batch)).isEqualTo(2);

    assertThat(retrieve(store, entities, "driver_hourly:trips"))
        .containsExactly(List.of(1L, NOON, 12L));
    assertThat(retrieve(store, entities(row(9L, NOON)), "driver_hourly:trips"))
        .containsExactly(List.of(9L, NOON, 99L));
  }

  /**
   * A source column no view reads (a note, a NUMERIC the JVM has no dtype for) may be left out of a
   * batch when the source allows nulls in it; the view's own columns may not.
   */
  @Test
  void aBatchMayOmitNullableColumnsTheViewDoesNotRead() throws Exception {
    OfflineStore store = bothStores();
    try (VectorSchemaRoot withNote =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate")
            .int64("trips")
            .string("note")
            .row(1L, NINE, NINE, 0.1f, 10L, "first")
            .build()) {
      replaceSource("driver_stats", withNote);
    }
    VectorSchemaRoot withoutNote =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .timestamp("created")
                .float32("conv_rate")
                .int64("trips")
                .row(1L, TEN, TEN, 0.2f, 20L)
                .build());
    assertThat(store.offlineWriteBatch("driver_hourly", withoutNote)).isEqualTo(1);
    assertThat(retrieve(store, entities(row(1L, NOON)), "driver_hourly:trips"))
        .containsExactly(List.of(1L, NOON, 20L));

    VectorSchemaRoot withoutTrips =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .timestamp("created")
                .float32("conv_rate")
                .row(1L, ELEVEN, ELEVEN, 0.3f)
                .build());
    assertFails(
        () -> store.offlineWriteBatch("driver_hourly", withoutTrips),
        ErrorCode.SCHEMA_MISMATCH,
        "missing column 'trips' (int64)");
  }

  @Test
  void aBatchThatDoesNotMatchTheSourceIsRefusedAndNothingIsWritten() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot wrongType =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .timestamp("created")
                .float64("conv_rate")
                .int64("trips")
                .row(1L, NOON, NOON, 0.5, 12L)
                .build());
    assertFails(
        () -> store.offlineWriteBatch("driver_hourly", wrongType),
        ErrorCode.SCHEMA_MISMATCH,
        "conv_rate");
    VectorSchemaRoot missingColumn =
        track(TestTable.with(allocator).int64("driver_id").timestamp("ts").row(1L, NOON).build());
    assertFails(
        () -> store.offlineWriteBatch("driver_hourly", missingColumn),
        ErrorCode.SCHEMA_MISMATCH,
        "trips");
    assertFails(
        () -> store.offlineWriteBatch("nope", missingColumn),
        ErrorCode.UNKNOWN_FEATURE_VIEW,
        "'nope'");

    assertThat(retrieve(store, entities(row(1L, NOON)), "driver_hourly:trips"))
        .containsExactly(List.of(1L, NOON, 11L));
  }

  // ---- write_logged_features -----------------------------------------------------------------

  @Test
  void loggedFeaturesAreAppendedToTheServicesDestination() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot logs =
        track(
            TestTable.with(allocator)
                .timestamp("__log_timestamp")
                .int64("driver_id")
                .int64("driver_hourly__trips")
                .string("customer_profile__tier")
                .row(NOON, 1L, 11L, "gold")
                .row(NOON, 2L, null, null)
                .build());

    assertThat(store.writeLoggedFeatures("driver_activity", logs)).isEqualTo(2);
    assertThat(store.writeLoggedFeatures("driver_activity", logs)).isEqualTo(2);
  }

  @Test
  void loggingNeedsADestinationAndMatchingTypes() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot logs =
        track(TestTable.with(allocator).timestamp("__log_timestamp").row(NOON).build());
    assertFails(
        () -> store.writeLoggedFeatures("unlogged", logs), ErrorCode.NOT_CONFIGURED, "'unlogged'");
    VectorSchemaRoot wrongType =
        track(
            TestTable.with(allocator)
                .timestamp("__log_timestamp")
                .string("driver_hourly__trips")
                .row(NOON, "eleven")
                .build());
    assertFails(
        () -> store.writeLoggedFeatures("driver_activity", wrongType),
        ErrorCode.SCHEMA_MISMATCH,
        "driver_hourly__trips");
    VectorSchemaRoot noTimestamp =
        track(TestTable.with(allocator).int64("driver_id").row(1L).build());
    assertFails(
        () -> store.writeLoggedFeatures("driver_activity", noTimestamp),
        ErrorCode.SCHEMA_MISMATCH,
        "__log_timestamp");
  }

  // ---- persist -------------------------------------------------------------------------------

  @Test
  void persistStoresTheResultAndRefusesToOverwriteUnlessAsked() throws Exception {
    OfflineStore store = bothStores();
    String destination = "training_set_" + Long.toHexString(System.nanoTime());
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(
                entities(row(1L, NOON), row(2L, NOON)), List.of("driver_hourly:trips")))) {
      assertThat(job.persist(destination, false)).isEqualTo(2);
      assertFails(() -> job.persist(destination, false), ErrorCode.DESTINATION_EXISTS, destination);
      assertThat(job.persist(destination, true)).isEqualTo(2);
    }
    try (RetrievalJob pulled = store.pullAllFromTableOrQuery(pull(TimeRange.ALL, false))) {
      assertThat(pulled.persist(destination + "_pulled", false)).isEqualTo(1);
    }
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(
                entities(row(1L, NOON)), List.of("driver_hourly:trips")))) {
      assertFails(() -> job.persist("../escape", false), ErrorCode.INVALID_PARAMETER, "../escape");
    }
  }

  // ---- validate_data_source and get_table_column_names_and_types ----------------------------

  @Test
  void sourcesValidateAndListTheirColumns() throws Exception {
    OfflineStore store = bothStores();
    store.validateDataSource("driver_stats");
    store.validateDataSource("customer_stats");
    assertFails(() -> store.validateDataSource("nope"), ErrorCode.UNKNOWN_DATA_SOURCE, "'nope'");

    List<SourceColumn> columns = store.getTableColumnNamesAndTypes("customer_stats");
    assertThat(columns)
        .extracting(SourceColumn::name)
        .containsExactly("customer_id", "driver_id", "ts", "bal", "tier"); // stored names
    assertThat(columns) // every backend names types as feature_store.yaml does
        .extracting(SourceColumn::type)
        .containsExactly("int64", "int64", "timestamp", "float64", "string");
    assertFails(
        () -> store.getTableColumnNamesAndTypes("nope"), ErrorCode.UNKNOWN_DATA_SOURCE, "'nope'");
  }

  /**
   * The same fault of a source gets the same code from every backend: {@code INVALID_DATA_SOURCE},
   * naming the source and the offending column.
   */
  @Test
  void validationNamesTheFaultOfASourceWithOneCode() throws Exception {
    OfflineStore store = bothStores();
    try (VectorSchemaRoot withoutTrips =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate")
            .row(1L, NOON, NOON, 0.5f)
            .build()) {
      replaceSource("driver_stats", withoutTrips);
    }
    assertFails(
        () -> store.validateDataSource("driver_stats"),
        ErrorCode.INVALID_DATA_SOURCE,
        "'driver_stats'");
    assertFails(
        () -> store.validateDataSource("driver_stats"), ErrorCode.INVALID_DATA_SOURCE, "trips");

    try (VectorSchemaRoot tripsAsText =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("ts")
            .timestamp("created")
            .float32("conv_rate")
            .string("trips")
            .row(1L, NOON, NOON, 0.5f, "ten")
            .build()) {
      replaceSource("driver_stats", tripsAsText);
    }
    assertFails(
        () -> store.validateDataSource("driver_stats"), ErrorCode.INVALID_DATA_SOURCE, "trips");
    store.validateDataSource("customer_stats"); // the other source is untouched
  }

  /** {@code decimal(p,s)} features (a SQL NUMERIC, a Parquet DECIMAL) are served exactly. */
  @Test
  void decimalFeaturesAreServedAndWrittenExactly() throws Exception {
    FeatureRepository prices =
        RepositoryLoader.parse(
            """
            project: prices
            offline_store: {type: contract}
            entities:
              - {name: item, join_keys: [item_id]}
            data_sources:
              - {name: prices, path: data/prices, timestamp_field: ts}
            feature_views:
              - name: item_prices
                entities: [item]
                source: prices
                schema:
                  - {name: price, dtype: "decimal(10,2)"}
            """);
    ArrowType money = new ArrowType.Decimal(10, 2, 128);
    VectorSchemaRoot rows =
        track(
            TestTable.with(allocator)
                .int64("item_id")
                .timestamp("ts")
                .column("price", money)
                .row(1L, NINE, new BigDecimal("12.34"))
                .row(2L, NINE, new BigDecimal("-99999999.99"))
                .build());
    OfflineStore store = track(createStore(prices, Map.of("prices", rows), allocator));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("item_id")
                .timestamp("event_timestamp")
                .row(1L, NOON)
                .row(2L, NOON)
                .build());
    assertThat(retrieve(store, entities, "item_prices:price"))
        .containsExactly(
            List.of(1L, NOON, new BigDecimal("12.34")),
            List.of(2L, NOON, new BigDecimal("-99999999.99")));

    VectorSchemaRoot batch =
        track(
            TestTable.with(allocator)
                .int64("item_id")
                .timestamp("ts")
                .column("price", money)
                .row(1L, TEN, new BigDecimal("0.05"))
                .build());
    assertThat(store.offlineWriteBatch("item_prices", batch)).isEqualTo(1);
    assertThat(retrieve(store, entities, "item_prices:price"))
        .containsExactly(
            List.of(1L, NOON, new BigDecimal("0.05")),
            List.of(2L, NOON, new BigDecimal("-99999999.99")));
  }

  /**
   * Whether the backend serves list features ({@code Array(...)}, Feast's {@code *_LIST} types). A
   * backend that does not must refuse a repository with one when the store is created, naming the
   * view, the feature and itself.
   */
  protected boolean supportsListFeatures() {
    return true;
  }

  private static final String LIST_REPOSITORY =
      """
      project: lists
      offline_store: {type: contract}
      entities:
        - {name: item, join_keys: [item_id]}
      data_sources:
        - {name: items, path: data/items, timestamp_field: ts}
      feature_views:
        - name: item_vectors
          entities: [item]
          source: items
          schema:
            - {name: embedding, dtype: Array(Float32)}
            - {name: tags, dtype: Array(String)}
            - {name: score, dtype: float64}
      """;

  /**
   * {@code Array(...)} features are served as Arrow lists by every API that returns or takes them:
   * a null list, an empty list and a null element stay apart.
   */
  @Test
  void listFeaturesAreServedAndWrittenAsArrowLists() throws Exception {
    FeatureRepository repository = RepositoryLoader.parse(LIST_REPOSITORY);
    ArrowType float32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    if (!supportsListFeatures()) {
      VectorSchemaRoot flat =
          track(
              TestTable.with(allocator).int64("item_id").timestamp("ts").float64("score").build());
      assertThatThrownBy(() -> track(createStore(repository, Map.of("items", flat), allocator)))
          .isInstanceOf(FlightdeckException.class)
          .hasMessageContaining("'item_vectors'")
          .hasMessageContaining("'embedding'")
          .hasMessageContaining("Array(Float32)")
          .hasMessageContaining("list features");
      return;
    }
    VectorSchemaRoot rows =
        track(
            TestTable.with(allocator)
                .int64("item_id")
                .timestamp("ts")
                .list("embedding", float32)
                .list("tags", ArrowType.Utf8.INSTANCE)
                .float64("score")
                .row(1L, NINE, List.of(1.0f, 2.5f), Arrays.asList("a", null), 1.0)
                .row(2L, NINE, null, List.of(), 2.0)
                .row(3L, NINE, Arrays.asList(null, 3.0f), List.of("x"), null)
                .row(3L, TEN, List.of(), null, 3.0)
                .build());
    OfflineStore store = track(createStore(repository, Map.of("items", rows), allocator));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("item_id")
                .timestamp("event_timestamp")
                .row(1L, NOON)
                .row(2L, NOON)
                .row(3L, NINE)
                .row(3L, NOON)
                .row(4L, NOON)
                .build());
    String[] features = {"item_vectors:embedding", "item_vectors:tags", "item_vectors:score"};

    try (RetrievalJob job =
        store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, List.of(features)))) {
      assertThat(job.schema().findField("embedding").getType()).isEqualTo(ArrowType.List.INSTANCE);
      assertThat(job.schema().findField("embedding").getChildren().get(0).getType())
          .isEqualTo(float32);
      assertThat(job.schema().findField("tags").getChildren().get(0).getType())
          .isEqualTo(ArrowType.Utf8.INSTANCE);
    }
    assertThat(retrieve(store, entities, features))
        .containsExactly(
            Arrays.asList(1L, NOON, List.of(1.0f, 2.5f), Arrays.asList("a", null), 1.0),
            Arrays.asList(2L, NOON, null, List.of(), 2.0),
            Arrays.asList(3L, NINE, Arrays.asList(null, 3.0f), List.of("x"), null),
            Arrays.asList(3L, NOON, List.of(), null, 3.0),
            Arrays.asList(4L, NOON, null, null, null));

    // An entity table may carry list columns of its own: they come back as they were sent.
    VectorSchemaRoot withContext =
        track(
            TestTable.with(allocator)
                .int64("item_id")
                .timestamp("event_timestamp")
                .list("context", new ArrowType.Int(64, true))
                .row(1L, NOON, Arrays.asList(7L, null))
                .row(4L, NOON, null)
                .build());
    assertThat(retrieve(store, withContext, "item_vectors:embedding"))
        .containsExactly(
            Arrays.asList(1L, NOON, Arrays.asList(7L, null), List.of(1.0f, 2.5f)),
            Arrays.asList(4L, NOON, null, null));

    PullRequest pull =
        new PullRequest(
            "items",
            List.of("item_id"),
            List.of("embedding", "tags"),
            "ts",
            Optional.empty(),
            TimeRange.between(NINE, NOON));
    assertThat(rows(store.pullLatestFromTableOrQuery(pull)))
        .containsExactlyInAnyOrder(
            Arrays.asList(1L, List.of(1.0f, 2.5f), Arrays.asList("a", null), NINE),
            Arrays.asList(2L, null, List.of(), NINE),
            Arrays.asList(3L, List.of(), null, TEN));
    pull =
        new PullRequest(
            "items",
            List.of("item_id"),
            List.of("embedding"),
            "ts",
            Optional.empty(),
            TimeRange.ALL);
    assertThat(rows(store.pullAllFromTableOrQuery(pull)))
        .extracting(row -> row.get(1))
        .containsExactlyInAnyOrder(List.of(1.0f, 2.5f), null, Arrays.asList(null, 3.0f), List.of());
    store.validateDataSource("items");
    try (RetrievalJob job =
        store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, List.of(features)))) {
      assertThat(job.persist("vectors_" + Long.toHexString(System.nanoTime()), false)).isEqualTo(5);
    }
    assertThat(store.getTableColumnNamesAndTypes("items"))
        .contains(
            new SourceColumn("embedding", "Array(Float32)"),
            new SourceColumn("tags", "Array(String)"));

    VectorSchemaRoot batch =
        track(
            TestTable.with(allocator)
                .int64("item_id")
                .timestamp("ts")
                .list("embedding", float32)
                .list("tags", ArrowType.Utf8.INSTANCE)
                .float64("score")
                .row(2L, TEN, Arrays.asList(4.0f, null), List.of("new"), 4.0)
                .build());
    assertThat(store.offlineWriteBatch("item_vectors", batch)).isEqualTo(1);
    assertThat(retrieve(store, entities, features).get(1))
        .isEqualTo(Arrays.asList(2L, NOON, Arrays.asList(4.0f, null), List.of("new"), 4.0));
    assertThat(retrieve(store, entities, features).get(0))
        .isEqualTo(Arrays.asList(1L, NOON, List.of(1.0f, 2.5f), Arrays.asList("a", null), 1.0));
  }

  /** A DATE timestamp field means midnight UTC in every backend (a Parquet DATE, a SQL DATE). */
  @Test
  void dateTimestampFieldsAreMidnightUtc() throws Exception {
    FeatureRepository daily =
        RepositoryLoader.parse(
            """
            project: daily
            offline_store: {type: contract}
            entities:
              - {name: driver, join_keys: [driver_id]}
            data_sources:
              - {name: daily_stats, path: data/daily_stats, timestamp_field: day}
            feature_views:
              - name: daily
                entities: [driver]
                ttl: P1D
                source: daily_stats
                schema:
                  - {name: trips, dtype: int64}
            """);
    VectorSchemaRoot rows =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .column("day", new ArrowType.Date(DateUnit.DAY))
                .int64("trips")
                .row(1L, LocalDate.parse("2024-01-01"), 1L)
                .row(1L, LocalDate.parse("2024-01-02"), 2L)
                .build());
    OfflineStore store = track(createStore(daily, Map.of("daily_stats", rows), allocator));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(1L, at("2024-01-01T23:59:59.999999Z"))
                .row(1L, at("2024-01-02T00:00:00Z"))
                .row(1L, at("2024-01-03T00:00:00.000001Z")) // a microsecond past the TTL
                .build());
    assertThat(retrieve(store, entities, "daily:trips"))
        .containsExactly(
            Arrays.asList(1L, at("2024-01-01T23:59:59.999999Z"), 1L),
            Arrays.asList(1L, at("2024-01-02T00:00:00Z"), 2L),
            Arrays.asList(1L, at("2024-01-03T00:00:00.000001Z"), null));
  }

  // ---- helpers -------------------------------------------------------------------------------

  /**
   * Driver 1: 10:00, 11:00 twice (created 11:00 and 11:30); driver 2: 09:00 and 12:30; driver 3:
   * 07:00.
   */
  private OfflineStore pullStore() throws Exception {
    return driverStore(
        driverStats()
            .row(1L, TEN, TEN, 0.1f, 10L)
            .row(1L, ELEVEN, at("2024-01-01T11:30:00Z"), 0.3f, 30L)
            .row(1L, ELEVEN, ELEVEN, 0.2f, 20L)
            .row(2L, NINE, NINE, 0.5f, 50L)
            .row(2L, at("2024-01-01T12:30:00Z"), at("2024-01-01T12:30:00Z"), 0.6f, 60L)
            .row(3L, at("2024-01-01T07:00:00Z"), at("2024-01-01T07:00:00Z"), 0.7f, 70L));
  }

  private static PullRequest pull(TimeRange range, boolean created) {
    return new PullRequest(
        "driver_stats",
        List.of("driver_id"),
        List.of("conv_rate", "trips"),
        "ts",
        created ? Optional.of("created") : Optional.empty(),
        range);
  }

  private static void assertFails(ThrowingCallable call, ErrorCode code, String named) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
        .hasMessageContaining(named);
  }
}
