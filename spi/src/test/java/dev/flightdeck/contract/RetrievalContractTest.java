package dev.flightdeck.contract;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The point-in-time semantics every backend must serve, and the remote store over every backend. A
 * subclass says only how to make a store whose data sources hold given tables; every case then runs
 * unchanged, so all backends give the same tables for the same requests.
 */
public abstract class RetrievalContractTest {
  /** The driver repository most cases use; sources are filled per test. */
  protected static final String DRIVER_REPOSITORY =
      """
      project: contract
      offline_store: {type: contract}
      entities:
        - {name: driver, join_keys: [driver_id]}
        - {name: customer, join_keys: [customer_id]}
      data_sources:
        - {name: driver_stats, path: data/driver_stats, timestamp_field: ts, created_timestamp_column: created}
        - {name: customer_stats, path: data/customer_stats, timestamp_field: ts, field_mapping: {bal: balance}}
        - {name: global_stats, path: data/global_stats, timestamp_field: ts}
      feature_views:
        - name: driver_hourly
          entities: [driver]
          ttl: PT2H
          source: driver_stats
          schema:
            - {name: conv_rate, dtype: float32}
            - {name: trips, dtype: int64}
        - name: driver_forever
          entities: [driver]
          source: driver_stats
          schema:
            - {name: conv_rate, dtype: float32}
        - name: customer_profile
          entities: [customer]
          ttl: P1D
          source: customer_stats
          schema:
            - {name: balance, dtype: float64}
            - {name: tier, dtype: string}
        - name: driver_customer
          entities: [driver, customer]
          source: customer_stats
          schema:
            - {name: tier, dtype: string}
        - name: global_daily
          ttl: P1D
          source: global_stats
          schema:
            - {name: total_trips, dtype: int64}
      feature_services:
        - name: driver_activity
          features: ["driver_hourly:trips", "customer_profile:tier"]
          logging: {destination: driver_activity_logs}
        - {name: unlogged, features: ["driver_hourly:trips"]}
      """;

  protected BufferAllocator allocator;
  private final List<AutoCloseable> resources = new ArrayList<>();

  /**
   * A store serving {@code repository}, whose data source named {@code s} holds the rows of {@code
   * sources.get(s)} (columns named as in the source, before {@code field_mapping}). Each source's
   * {@code path} is {@code data/<source name>}; the tables stay owned by the test. The test closes
   * the store.
   */
  protected abstract OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator)
      throws Exception;

  /**
   * Replaces the rows (and columns) of the data source {@code name} of the last store made, behind
   * the store's back, as an operator editing the data would; the table stays owned by the test.
   */
  protected abstract void replaceSource(String name, VectorSchemaRoot table) throws Exception;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    allocator.close(); // fails the test on a leak
  }

  // ---- point-in-time rules --------------------------------------------------------------------

  @Test
  void latestRowAtOrBeforeEventTimestampWins() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T09:00:00Z"), at("2024-01-01T09:00:00Z"), 0.1f, 10L)
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.2f, 20L)
                .row(1L, at("2024-01-01T11:00:00Z"), at("2024-01-01T11:00:00Z"), 0.3f, 30L));
    VectorSchemaRoot entities =
        entities(row(1L, at("2024-01-01T10:30:00Z")), row(1L, at("2024-01-01T10:00:00Z")));

    List<List<Object>> rows =
        retrieve(store, entities, "driver_hourly:conv_rate", "driver_hourly:trips");

    assertThat(rows)
        .containsExactly(
            List.of(1L, at("2024-01-01T10:30:00Z"), 0.2f, 20L),
            List.of(1L, at("2024-01-01T10:00:00Z"), 0.2f, 20L));
  }

  @Test
  void rowsAfterEventTimestampAreNeverUsed() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.5f, 5L));
    VectorSchemaRoot entities = entities(row(1L, at("2024-01-01T09:59:59Z")));

    assertThat(retrieve(store, entities, "driver_hourly:conv_rate"))
        .containsExactly(Arrays.asList(1L, at("2024-01-01T09:59:59Z"), null));
  }

  @Test
  void ttlBoundsTheLookBackInclusively() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T08:00:00Z"), at("2024-01-01T08:00:00Z"), 0.5f, 5L));
    VectorSchemaRoot entities =
        entities(
            row(1L, at("2024-01-01T10:00:00Z")), // exactly ttl (2h) later: still valid
            row(1L, at("2024-01-01T10:00:00.000001Z")), // a microsecond past the ttl: expired
            row(1L, at("2024-01-01T08:00:00Z"))); // same instant: valid

    assertThat(retrieve(store, entities, "driver_hourly:conv_rate"))
        .containsExactly(
            Arrays.asList(1L, at("2024-01-01T10:00:00Z"), 0.5f),
            Arrays.asList(1L, at("2024-01-01T10:00:00.000001Z"), null),
            Arrays.asList(1L, at("2024-01-01T08:00:00Z"), 0.5f));
  }

  @Test
  void viewWithoutTtlLooksBackWithoutLimit() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2020-01-01T00:00:00Z"), at("2020-01-01T00:00:00Z"), 0.7f, 7L));
    VectorSchemaRoot entities = entities(row(1L, at("2024-06-01T00:00:00Z")));

    assertThat(retrieve(store, entities, "driver_forever:conv_rate", "driver_hourly:trips"))
        .containsExactly(Arrays.asList(1L, at("2024-06-01T00:00:00Z"), 0.7f, null));
  }

  @Test
  void tiesOnTimestampGoToLatestCreatedTimestamp() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:05:00Z"), 0.9f, 90L)
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:10:00Z"), 0.8f, 80L)
                .row(1L, at("2024-01-01T10:00:00Z"), null, 0.7f, 70L)
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:01:00Z"), 0.6f, 60L));
    VectorSchemaRoot entities = entities(row(1L, at("2024-01-01T11:00:00Z")));

    assertThat(retrieve(store, entities, "driver_hourly:trips"))
        .containsExactly(List.of(1L, at("2024-01-01T11:00:00Z"), 80L));
  }

  @Test
  void noCandidateGivesNullsAndUnknownKeysGiveNulls() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.5f, 5L));
    VectorSchemaRoot entities =
        entities(row(2L, at("2024-01-01T10:30:00Z")), row(1L, at("2024-01-01T09:00:00Z")));

    assertThat(retrieve(store, entities, "driver_hourly:conv_rate", "driver_hourly:trips"))
        .containsExactly(
            Arrays.asList(2L, at("2024-01-01T10:30:00Z"), null, null),
            Arrays.asList(1L, at("2024-01-01T09:00:00Z"), null, null));
  }

  @Test
  void nullKeysMatchNothing() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(null, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.1f, 1L)
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.5f, 5L));
    VectorSchemaRoot entities =
        entities(row(null, at("2024-01-01T10:30:00Z")), row(1L, at("2024-01-01T10:30:00Z")));

    assertThat(retrieve(store, entities, "driver_hourly:trips"))
        .containsExactly(
            Arrays.asList(null, at("2024-01-01T10:30:00Z"), null),
            Arrays.asList(1L, at("2024-01-01T10:30:00Z"), 5L));
  }

  @Test
  void entityRowsComeBackOnceInOrderWithDuplicatesAndExtraColumns() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.1f, 1L)
                .row(2L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.2f, 2L)
                .row(3L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.3f, 3L));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .string("label")
                .int64("driver_id")
                .timestamp("event_timestamp")
                .float64("weight")
                .row("c", 3L, at("2024-01-01T10:30:00Z"), 1.5)
                .row("a", 1L, at("2024-01-01T10:30:00Z"), null)
                .row("c2", 3L, at("2024-01-01T10:30:00Z"), 2.5)
                .row("b", 2L, at("2024-01-01T10:30:00Z"), 0.0)
                .row("a2", 1L, at("2024-01-01T10:30:00Z"), -1.0)
                .build());

    assertThat(retrieve(store, entities, "driver_hourly:trips"))
        .containsExactly(
            List.of("c", 3L, at("2024-01-01T10:30:00Z"), 1.5, 3L),
            Arrays.asList("a", 1L, at("2024-01-01T10:30:00Z"), null, 1L),
            List.of("c2", 3L, at("2024-01-01T10:30:00Z"), 2.5, 3L),
            List.of("b", 2L, at("2024-01-01T10:30:00Z"), 0.0, 2L),
            List.of("a2", 1L, at("2024-01-01T10:30:00Z"), -1.0, 1L));
  }

  @Test
  void featuresFollowEntityColumnsInRequestedOrderAcrossViews() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("customer_id")
                .int64("driver_id")
                .timestamp("event_timestamp")
                .row(7L, 1L, at("2024-01-01T12:00:00Z"))
                .build());

    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(
                entities,
                List.of(
                    "customer_profile:tier",
                    "driver_hourly:trips",
                    "customer_profile:balance",
                    "driver_hourly:conv_rate")))) {
      assertThat(job.schema().getFields())
          .extracting(Field::getName)
          .containsExactly(
              "customer_id",
              "driver_id",
              "event_timestamp",
              "tier",
              "trips",
              "balance",
              "conv_rate");
      assertThat(rows(job))
          .containsExactly(List.of(7L, 1L, at("2024-01-01T12:00:00Z"), "gold", 11L, 700.5, 0.25f));
    }
  }

  @Test
  void fullFeatureNamesPrefixTheView() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities = entities(row(1L, at("2024-01-01T12:00:00Z")));
    HistoricalFeaturesRequest request =
        HistoricalFeaturesRequest.of(
                entities, List.of("driver_hourly:conv_rate", "driver_forever:conv_rate"))
            .withFullFeatureNames(true);

    try (RetrievalJob job = store.getHistoricalFeatures(request)) {
      assertThat(job.schema().getFields())
          .extracting(Field::getName)
          .containsExactly(
              "driver_id",
              "event_timestamp",
              "driver_hourly__conv_rate",
              "driver_forever__conv_rate");
      assertThat(rows(job)).containsExactly(List.of(1L, at("2024-01-01T12:00:00Z"), 0.25f, 0.25f));
    }
  }

  @Test
  void sameShortNameWithoutFullFeatureNamesIsACollision() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities = entities(row(1L, at("2024-01-01T12:00:00Z")));

    assertRefused(
        store,
        HistoricalFeaturesRequest.of(
            entities, List.of("driver_hourly:conv_rate", "driver_forever:conv_rate")),
        ErrorCode.NAME_COLLISION,
        "set full_feature_names");
  }

  @Test
  void featureServiceSelectsItsFeatures() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .int64("customer_id")
                .timestamp("event_timestamp")
                .row(1L, 7L, at("2024-01-01T12:00:00Z"))
                .build());

    try (RetrievalJob job =
        store.getHistoricalFeatures(
            new HistoricalFeaturesRequest(
                entities, FeatureSelection.service("driver_activity"), false))) {
      assertThat(rows(job))
          .containsExactly(List.of(1L, 7L, at("2024-01-01T12:00:00Z"), 11L, "gold"));
    }
  }

  @Test
  void fieldMappingRenamesSourceColumns() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("customer_id")
                .timestamp("event_timestamp")
                .row(7L, at("2024-01-01T12:00:00Z"))
                .row(8L, at("2024-01-01T12:00:00Z"))
                .build());

    assertThat(retrieve(store, entities, "customer_profile:balance"))
        .containsExactly(
            List.of(7L, at("2024-01-01T12:00:00Z"), 700.5),
            List.of(8L, at("2024-01-01T12:00:00Z"), 800.5));
  }

  @Test
  void timestampsCompareAsInstantsWhateverTheirUnitAndZone() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T10:00:00.250Z"), at("2024-01-01T10:00:00Z"), 0.5f, 5L));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp", TimeUnit.MILLISECOND, null)
                .row(1L, at("2024-01-01T10:00:00.249Z"))
                .row(1L, at("2024-01-01T10:00:00.250Z"))
                .build());
    VectorSchemaRoot nanos =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp", TimeUnit.NANOSECOND, "America/New_York")
                .row(1L, at("2024-01-01T10:00:00.250Z"))
                .build());

    assertThat(retrieve(store, entities, "driver_hourly:trips"))
        .containsExactly(
            Arrays.asList(1L, at("2024-01-01T10:00:00.249Z"), null),
            List.of(1L, at("2024-01-01T10:00:00.250Z"), 5L));
    assertThat(retrieve(store, nanos, "driver_hourly:trips"))
        .containsExactly(List.of(1L, at("2024-01-01T10:00:00.250Z"), 5L));
  }

  @Test
  void compoundJoinKeysMustAllMatch() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .int64("customer_id")
                .timestamp("event_timestamp")
                .row(1L, 7L, at("2024-01-01T12:00:00Z"))
                .row(2L, 7L, at("2024-01-01T12:00:00Z"))
                .row(1L, 8L, at("2024-01-01T12:00:00Z"))
                .build());

    assertThat(retrieve(store, entities, "driver_customer:tier"))
        .containsExactly(
            List.of(1L, 7L, at("2024-01-01T12:00:00Z"), "gold"),
            Arrays.asList(2L, 7L, at("2024-01-01T12:00:00Z"), null),
            Arrays.asList(1L, 8L, at("2024-01-01T12:00:00Z"), null));
  }

  @Test
  void integerKeysOfAnyWidthMatch() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.5f, 5L));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int32("driver_id")
                .timestamp("event_timestamp")
                .row(1, at("2024-01-01T10:30:00Z"))
                .build());

    assertThat(retrieve(store, entities, "driver_hourly:trips"))
        .containsExactly(List.of(1, at("2024-01-01T10:30:00Z"), 5L));
  }

  @Test
  void stringJoinKeys() throws Exception {
    FeatureRepository repository =
        RepositoryLoader.parse(
            """
        project: strings
        offline_store: {type: contract}
        entities: [{name: user, join_keys: [user_id]}]
        data_sources: [{name: users, path: data/users, timestamp_field: ts}]
        feature_views:
          - {name: user_stats, entities: [user], source: users, schema: [{name: score, dtype: int32}]}
        """);
    VectorSchemaRoot users =
        track(
            TestTable.with(allocator)
                .string("user_id")
                .timestamp("ts")
                .int32("score")
                .row("alice", at("2024-01-01T00:00:00Z"), 1)
                .row("bob", at("2024-01-01T00:00:00Z"), 2)
                .row("alice", at("2024-01-02T00:00:00Z"), 3)
                .build());
    OfflineStore store = track(createStore(repository, Map.of("users", users), allocator));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .string("user_id")
                .timestamp("event_timestamp")
                .row("alice", at("2024-01-01T12:00:00Z"))
                .row("bob", at("2024-01-03T00:00:00Z"))
                .row("carol", at("2024-01-03T00:00:00Z"))
                .build());

    assertThat(retrieve(store, entities, "user_stats:score"))
        .containsExactly(
            List.of("alice", at("2024-01-01T12:00:00Z"), 1),
            List.of("bob", at("2024-01-03T00:00:00Z"), 2),
            Arrays.asList("carol", at("2024-01-03T00:00:00Z"), null));
  }

  @Test
  void everyDtypeIsServedWithItsArrowType() throws Exception {
    FeatureRepository repository =
        RepositoryLoader.parse(
            """
        project: types
        offline_store: {type: contract}
        entities: [{name: thing, join_keys: [id]}]
        data_sources: [{name: things, path: data/things, timestamp_field: ts}]
        feature_views:
          - name: all_types
            entities: [thing]
            source: things
            schema:
              - {name: i32, dtype: int32}
              - {name: i64, dtype: int64}
              - {name: f32, dtype: float32}
              - {name: f64, dtype: float64}
              - {name: s, dtype: string}
              - {name: b, dtype: bool}
              - {name: raw, dtype: bytes}
              - {name: seen, dtype: timestamp}
        """);
    VectorSchemaRoot things =
        track(
            TestTable.with(allocator)
                .int64("id")
                .timestamp("ts")
                .int32("i32")
                .int64("i64")
                .float32("f32")
                .float64("f64")
                .string("s")
                .bool("b")
                .bytes("raw")
                .timestamp("seen")
                .row(
                    1L,
                    at("2024-01-01T00:00:00Z"),
                    -5,
                    1L << 40,
                    1.5f,
                    2.25,
                    "héllo",
                    true,
                    new byte[] {1, 2, 3},
                    at("2023-05-06T07:08:09.123456Z"))
                .row(2L, at("2024-01-01T00:00:00Z"), null, null, null, null, null, null, null, null)
                .build());
    OfflineStore store = track(createStore(repository, Map.of("things", things), allocator));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("id")
                .timestamp("event_timestamp")
                .row(1L, at("2024-01-02T00:00:00Z"))
                .row(2L, at("2024-01-02T00:00:00Z"))
                .build());
    List<String> features =
        List.of(
            "all_types:i32",
            "all_types:i64",
            "all_types:f32",
            "all_types:f64",
            "all_types:s",
            "all_types:b",
            "all_types:raw",
            "all_types:seen");

    try (RetrievalJob job =
        store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, features))) {
      assertThat(job.schema().getFields().subList(2, 10))
          .extracting(field -> field.getType().toString())
          .containsExactly(
              "Int(32, true)",
              "Int(64, true)",
              "FloatingPoint(SINGLE)",
              "FloatingPoint(DOUBLE)",
              "Utf8",
              "Bool",
              "Binary",
              "Timestamp(MICROSECOND, UTC)");
      List<List<Object>> rows = rows(job);
      assertThat(rows.get(0))
          .containsExactly(
              1L,
              at("2024-01-02T00:00:00Z"),
              -5,
              1L << 40,
              1.5f,
              2.25,
              "héllo",
              true,
              List.of((byte) 1, (byte) 2, (byte) 3),
              at("2023-05-06T07:08:09.123456Z"));
      assertThat(rows.get(1))
          .containsExactly(
              2L, at("2024-01-02T00:00:00Z"), null, null, null, null, null, null, null, null);
    }
  }

  @Test
  void schemaIsKnownBeforeRunningAndMatchesTheResult() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities = entities(row(1L, at("2024-01-01T12:00:00Z")));
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, List.of("driver_hourly:trips")))) {
      Schema before = job.schema();
      try (VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getSchema().getFields()).isEqualTo(before.getFields());
        assertThat(result.getRowCount()).isEqualTo(1);
        assertThat(job.schema()).as("schema after the run").isEqualTo(before);
      }
    }
  }

  @Test
  void aJobRunsAgainWithTheSameResult() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities =
        entities(row(1L, at("2024-01-01T12:00:00Z")), row(2L, at("2024-01-01T12:00:00Z")));
    try (RetrievalJob job =
            store.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("driver_hourly:trips")));
        VectorSchemaRoot first = job.toArrow(allocator);
        VectorSchemaRoot second = job.toArrow(allocator)) {
      assertThat(first.getRowCount()).isEqualTo(2);
      assertThat(TableRows.of(second)).isEqualTo(TableRows.of(first));
    }
  }

  @Test
  void emptyEntityTableGivesEmptyResult() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities = entities();

    try (RetrievalJob job =
            store.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("driver_hourly:trips")));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(result.getRowCount()).isZero();
      assertThat(result.getSchema().getFields())
          .extracting(Field::getName)
          .containsExactly("driver_id", "event_timestamp", "trips");
    }
  }

  @Test
  void manyEntityRowsKeepTheirOrder() throws Exception {
    TestTable stats = driverStats();
    for (long driver = 0; driver < 500; driver++) {
      stats.row(
          driver,
          at("2024-01-01T10:00:00Z"),
          at("2024-01-01T10:00:00Z"),
          (float) driver,
          driver * 10);
      stats.row(
          driver,
          at("2024-01-01T11:00:00Z"),
          at("2024-01-01T11:00:00Z"),
          (float) driver,
          driver * 10 + 1);
    }
    OfflineStore store = driverStore(stats);
    TestTable entityTable =
        TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    List<List<Object>> expected = new ArrayList<>();
    for (int i = 0; i < 150_000; i++) {
      long driver = (i * 7919L) % 600; // drivers 500..599 have no rows
      Instant t = i % 3 == 0 ? at("2024-01-01T10:30:00Z") : at("2024-01-01T11:30:00Z");
      entityTable.row(driver, t);
      expected.add(
          Arrays.asList(driver, t, driver >= 500 ? null : driver * 10 + (i % 3 == 0 ? 0 : 1)));
    }
    VectorSchemaRoot entities = track(entityTable.build());

    assertThat(retrieve(store, entities, "driver_hourly:trips")).isEqualTo(expected);
  }

  // ---- refused requests -----------------------------------------------------------------------

  @Test
  void unknownNamesAreNotFound() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities = entities(row(1L, at("2024-01-01T12:00:00Z")));

    assertRefused(
        store,
        HistoricalFeaturesRequest.of(entities, List.of("driver_daily:trips")),
        ErrorCode.UNKNOWN_FEATURE_VIEW,
        "driver_daily");
    assertRefused(
        store,
        HistoricalFeaturesRequest.of(entities, List.of("driver_hourly:speed")),
        ErrorCode.UNKNOWN_FEATURE,
        "speed");
    assertRefused(
        store,
        new HistoricalFeaturesRequest(entities, FeatureSelection.service("nope"), false),
        ErrorCode.UNKNOWN_FEATURE_SERVICE,
        "nope");
  }

  @Test
  void malformedFeatureReferenceIsRefused() {
    assertThatThrownBy(() -> FeatureSelection.of(List.of("driver_hourly.trips")))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FEATURE_REFERENCE))
        .hasMessageContaining("driver_hourly.trips");
  }

  @Test
  void entityTableWithoutJoinKeyOrTimestampIsRefused() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot noKey =
        track(TestTable.with(allocator).int64("rider_id").timestamp("event_timestamp").build());
    VectorSchemaRoot noTimestamp =
        track(TestTable.with(allocator).int64("driver_id").string("when").build());
    VectorSchemaRoot twoTimestamps =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .timestamp("signed_up")
                .build());
    VectorSchemaRoot textTimestamp =
        track(TestTable.with(allocator).int64("driver_id").string("event_timestamp").build());

    assertRefused(
        store,
        HistoricalFeaturesRequest.of(noKey, List.of("driver_hourly:trips")),
        ErrorCode.INVALID_ENTITY_TABLE,
        "driver_id");
    assertRefused(
        store,
        HistoricalFeaturesRequest.of(noTimestamp, List.of("driver_hourly:trips")),
        ErrorCode.INVALID_ENTITY_TABLE,
        "event_timestamp");
    assertRefused(
        store,
        HistoricalFeaturesRequest.of(textTimestamp, List.of("driver_hourly:trips")),
        ErrorCode.INVALID_ENTITY_TABLE,
        "event_timestamp");
    assertRefused(
        store,
        HistoricalFeaturesRequest.of(twoTimestamps, List.of("driver_hourly:trips")),
        ErrorCode.INVALID_ENTITY_TABLE,
        "ts, signed_up");
  }

  /** A seconds timestamp beyond what microseconds hold is the caller's error, not the server's. */
  @Test
  void anEntityTimestampOutOfRangeIsRefused() throws Exception {
    OfflineStore store = bothStores();
    BigIntVector drivers = new BigIntVector("driver_id", allocator);
    TimeStampSecTZVector seconds = new TimeStampSecTZVector("event_timestamp", allocator, "UTC");
    drivers.allocateNew(1);
    seconds.allocateNew(1);
    drivers.set(0, 1L);
    seconds.set(0, Long.MAX_VALUE / 10);
    drivers.setValueCount(1);
    seconds.setValueCount(1);
    VectorSchemaRoot entities = track(new VectorSchemaRoot(List.of(drivers, seconds)));

    assertRefused(
        store,
        HistoricalFeaturesRequest.of(entities, List.of("driver_hourly:trips")),
        ErrorCode.INVALID_ENTITY_TABLE,
        "out of range");
  }

  /** As Feast does: with no event_timestamp column, the only timestamp column is the event time. */
  @Test
  void theOnlyTimestampColumnIsTheEventTime() throws Exception {
    OfflineStore store =
        driverStore(
            driverStats()
                .row(1L, at("2024-01-01T09:00:00Z"), at("2024-01-01T09:00:00Z"), 0.1f, 10L)
                .row(1L, at("2024-01-01T11:00:00Z"), at("2024-01-01T11:00:00Z"), 0.3f, 30L));
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("asked_at")
                .row(1L, at("2024-01-01T10:00:00Z"))
                .build());

    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, List.of("driver_hourly:trips")))) {
      assertThat(rows(job)).containsExactly(Arrays.asList(1L, at("2024-01-01T10:00:00Z"), 10L));
    }
  }

  @Test
  void featureNamedLikeAnEntityColumnIsACollision() throws Exception {
    OfflineStore store = bothStores();
    VectorSchemaRoot entities =
        track(
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .int64("trips")
                .build());

    assertRefused(
        store,
        HistoricalFeaturesRequest.of(entities, List.of("driver_hourly:trips")),
        ErrorCode.NAME_COLLISION,
        "trips");
  }

  // ---- helpers --------------------------------------------------------------------------------

  protected TestTable driverStats() {
    return TestTable.with(allocator)
        .int64("driver_id")
        .timestamp("ts")
        .timestamp("created")
        .float32("conv_rate")
        .int64("trips");
  }

  protected TestTable customerStats() {
    return TestTable.with(allocator)
        .int64("customer_id")
        .int64("driver_id")
        .timestamp("ts")
        .float64("bal")
        .string("tier");
  }

  protected OfflineStore driverStore(TestTable driverStats) throws Exception {
    return store(
        driverStats, customerStats().row(7L, 1L, at("2024-01-01T11:00:00Z"), 700.5, "gold"));
  }

  /** Driver 1 and customers 7 and 8 with one row each before noon on 2024-01-01. */
  protected OfflineStore bothStores() throws Exception {
    return store(
        driverStats().row(1L, at("2024-01-01T11:00:00Z"), at("2024-01-01T11:00:00Z"), 0.25f, 11L),
        customerStats()
            .row(7L, 1L, at("2024-01-01T11:00:00Z"), 700.5, "gold")
            .row(8L, 2L, at("2024-01-01T11:00:00Z"), 800.5, "silver"));
  }

  protected TestTable globalStats() {
    return TestTable.with(allocator).timestamp("ts").int64("total_trips");
  }

  protected OfflineStore store(TestTable driverStats, TestTable customerStats) throws Exception {
    return store(driverStats, customerStats, globalStats().row(at("2024-01-01T00:00:00Z"), 1000L));
  }

  protected OfflineStore store(
      TestTable driverStats, TestTable customerStats, TestTable globalStats) throws Exception {
    Map<String, VectorSchemaRoot> sources = new LinkedHashMap<>();
    sources.put("driver_stats", track(driverStats.build()));
    sources.put("customer_stats", track(customerStats.build()));
    sources.put("global_stats", track(globalStats.build()));
    return track(createStore(RepositoryLoader.parse(DRIVER_REPOSITORY), sources, allocator));
  }

  protected static Object[] row(Object... values) {
    return values;
  }

  protected VectorSchemaRoot entities(Object[]... rows) {
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    for (Object[] row : rows) {
      table.row(row);
    }
    return track(table.build());
  }

  protected List<List<Object>> retrieve(
      OfflineStore store, VectorSchemaRoot entities, String... features) {
    try (RetrievalJob job =
        store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, List.of(features)))) {
      return rows(job);
    }
  }

  protected List<List<Object>> rows(RetrievalJob job) {
    try (VectorSchemaRoot result = job.toArrow(allocator)) {
      return TableRows.of(result);
    }
  }

  private void assertRefused(
      OfflineStore store, HistoricalFeaturesRequest request, ErrorCode code, String named) {
    assertThatThrownBy(
            () -> {
              try (RetrievalJob job = store.getHistoricalFeatures(request);
                  VectorSchemaRoot ignored = job.toArrow(allocator)) {
                // the error may come at the call or when the job runs; either is fine
              }
            })
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(named);
  }

  protected <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }
}
