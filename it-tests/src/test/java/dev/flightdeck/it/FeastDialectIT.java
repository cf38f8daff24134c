package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.feast.FeastFixture;
import dev.flightdeck.feast.FeastRepositoryLoader;
import dev.flightdeck.it.FeastRemoteClient.FeastException;
import dev.flightdeck.repository.RepositoryLoaders;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.TlsSettings;
import dev.flightdeck.server.auth.TokenFile;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RepositorySource;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import dev.flightdeck.spi.TimeRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feast's remote client, as {@link FeastRemoteClient} reproduces it, against a Feast repository
 * served unchanged: every API gets the rows Flightdeck's own client gets for the same request, and
 * bad or hostile calls get a Feast error class and a Flightdeck code while the server keeps
 * serving.
 */
class FeastDialectIT {
  private static final String PROJECT = FeastFixture.PROJECT;
  private static final String ALICE = "alice-0123456789abcdef";
  private static final String BOB = "bob-fedcba9876543210";

  /** {@code str(driver_stats_source)}: MessageToJson of the source's proto, as Feast sends it. */
  private static final String DRIVER_SOURCE_PROTO =
      """
      {
        "type": "BATCH_FILE",
        "timestampField": "event_timestamp",
        "createdTimestampColumn": "created",
        "fileOptions": {
          "uri": "data/driver_stats.parquet"
        },
        "dataSourceClassType": "feast.infra.offline_stores.file_source.FileSource",
        "name": "driver_stats_source",
        "project": "fixture"
      }""";

  @TempDir Path work;
  private BufferAllocator allocator;
  private OfflineStore store;
  private FlightdeckServer server;
  private Path repository;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    repository = work.resolve("feature_repo");
    FeastFixture.write(repository, Optional.empty(), allocator);
    FeastFixture.writeFeatureStoreYaml(
        repository,
        FeastFixture.FEATURE_STORE_YAML.replace(
            "  type: file\n", "  type: file\n  output_dir: out\n"));
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.close();
    }
    allocator.close();
  }

  private void serve(ServerConfig config) {
    RepositorySource source =
        RepositorySource.of(repository)
            .withLoaders(RepositoryLoaders.standard().with(new FeastRepositoryLoader()));
    store = OfflineStoreRegistry.discover().open(source, allocator);
    server = FlightdeckServer.forStore(store, allocator, config.withPort(0)).start();
  }

  private FeastRemoteClient feast() {
    return new FeastRemoteClient(allocator, server.location(), Optional.empty());
  }

  private RemoteOfflineStore flightdeck() {
    return new RemoteOfflineStore(server.location(), allocator);
  }

  @Test
  void historicalFeaturesOfAServiceWithAnAliasAreFlightdecksRows() throws Exception {
    serve(ServerConfig.defaults());
    try (FeastRemoteClient feast = feast();
        RemoteOfflineStore flightdeck = flightdeck();
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        // pandas' index after filtering rows: not a range, so pyarrow sends it
        VectorSchemaRoot entityDf =
            FeastRemoteClient.fromPandas(entities, List.of(4L, 7L, 9L), allocator);
        VectorSchemaRoot viaFeast =
            feast.getHistoricalFeatures(
                List.of("driver_hourly_stats", "customer_profile"),
                Arrays.asList("driver_stats", null),
                List.of("driver_stats:conv_rate", "driver_stats:trips", "customer_profile:tier"),
                PROJECT,
                true,
                entityDf,
                null,
                null);
        RetrievalJob job =
            flightdeck.getHistoricalFeatures(
                new HistoricalFeaturesRequest(
                    entities, FeatureSelection.service("driver_activity"), true));
        VectorSchemaRoot viaFlightdeck = job.toArrow(allocator)) {
      assertThat(names(viaFeast)).containsExactlyElementsOf(FeastFixture.FULL_NAMES);
      assertThat(TableRows.of(viaFeast))
          .isEqualTo(TableRows.of(viaFlightdeck))
          .containsExactlyElementsOf(FeastFixture.EXPECTED);
    }
  }

  @Test
  void historicalFeaturesByReferenceAndByDateRangeAreFlightdecksRows() throws Exception {
    serve(ServerConfig.defaults());
    List<String> references = List.of("driver_hourly_stats:conv_rate", "driver_hourly_stats:trips");
    try (FeastRemoteClient feast = feast();
        RemoteOfflineStore flightdeck = flightdeck();
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        VectorSchemaRoot entityDf = FeastRemoteClient.fromPandas(entities, null, allocator);
        VectorSchemaRoot viaFeast =
            feast.getHistoricalFeatures(
                List.of("driver_hourly_stats"),
                Arrays.asList((String) null),
                references,
                PROJECT,
                false,
                entityDf,
                null,
                null);
        RetrievalJob job =
            flightdeck.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, references));
        VectorSchemaRoot viaFlightdeck = job.toArrow(allocator)) {
      assertThat(names(viaFeast)).isEqualTo(names(viaFlightdeck));
      assertThat(TableRows.of(viaFeast)).isEqualTo(TableRows.of(viaFlightdeck));
      // the entity timestamps come back as pandas sent them, in nanoseconds
      assertThat(viaFeast.getSchema().findField("event_timestamp").getType().toString())
          .contains("NANOSECOND");
    }
    Instant start = at("2024-01-01T08:00:00Z");
    Instant end = at("2024-01-01T10:00:00Z");
    try (FeastRemoteClient feast = feast();
        RemoteOfflineStore flightdeck = flightdeck();
        VectorSchemaRoot viaFeast =
            feast.getHistoricalFeatures(
                List.of("driver_hourly_stats"),
                Arrays.asList((String) null),
                references,
                PROJECT,
                true,
                null,
                start,
                end);
        RetrievalJob job =
            flightdeck.getHistoricalFeatures(
                HistoricalFeaturesRequest.forRange(references, start, end)
                    .withFullFeatureNames(true));
        VectorSchemaRoot viaFlightdeck = job.toArrow(allocator)) {
      assertThat(names(viaFeast)).isEqualTo(names(viaFlightdeck));
      assertThat(TableRows.of(viaFeast)).isEqualTo(TableRows.of(viaFlightdeck)).isNotEmpty();
    }
  }

  @Test
  void pullsAreFlightdecksRows() throws Exception {
    serve(ServerConfig.defaults());
    Instant start = at("2024-01-01T00:00:00Z");
    Instant end = at("2024-01-01T23:00:00Z");
    List<String> keys = List.of("driver_id");
    List<String> features = List.of("conv_rate", "trips");
    try (FeastRemoteClient feast = feast();
        RemoteOfflineStore flightdeck = flightdeck();
        VectorSchemaRoot latest =
            feast.pullLatestFromTableOrQuery(
                "driver_stats_source", keys, features, "event_timestamp", "created", start, end);
        RetrievalJob latestJob =
            flightdeck.pullLatestFromTableOrQuery(
                new PullRequest(
                    "driver_stats_source",
                    keys,
                    features,
                    "event_timestamp",
                    Optional.of("created"),
                    TimeRange.between(start, end)));
        VectorSchemaRoot expectedLatest = latestJob.toArrow(allocator);
        // pull_all with no dates at all: Feast's client sends null for both
        VectorSchemaRoot all =
            feast.pullAllFromTableOrQuery(
                "driver_stats_source", keys, features, "event_timestamp", null, null, null);
        RetrievalJob allJob =
            flightdeck.pullAllFromTableOrQuery(
                new PullRequest(
                    "driver_stats_source",
                    keys,
                    features,
                    "event_timestamp",
                    Optional.empty(),
                    TimeRange.ALL));
        VectorSchemaRoot expectedAll = allJob.toArrow(allocator)) {
      assertThat(TableRows.of(latest)).isEqualTo(TableRows.of(expectedLatest)).hasSize(2);
      assertThat(names(latest)).isEqualTo(names(expectedLatest));
      assertThat(TableRows.of(all)).isEqualTo(TableRows.of(expectedAll)).hasSize(4);
    }
  }

  @Test
  void columnsAreNamedAsFeastsFileStoreNamesThemAndValidationPasses() throws Exception {
    serve(ServerConfig.defaults());
    try (FeastRemoteClient feast = feast();
        RemoteOfflineStore flightdeck = flightdeck()) {
      List<List<String>> viaFeast = feast.columnNamesAndTypes(DRIVER_SOURCE_PROTO);
      List<SourceColumn> viaFlightdeck =
          flightdeck.getTableColumnNamesAndTypes("driver_stats_source");
      assertThat(viaFeast)
          .extracting(pair -> pair.get(0))
          .containsExactlyElementsOf(viaFlightdeck.stream().map(SourceColumn::name).toList());
      assertThat(viaFeast)
          .contains(
              List.of("driver_id", "int64"),
              List.of("event_timestamp", "timestamp[us, tz=UTC]"),
              List.of("conv_rate", "float"));
      feast.validateDataSource(DRIVER_SOURCE_PROTO);
      assertFeastError(
          () ->
              feast.validateDataSource(DRIVER_SOURCE_PROTO.replace("driver_stats_source", "nope")),
          "DataSourceObjectNotFoundException",
          "UNKNOWN_DATA_SOURCE");
    }
  }

  @Test
  void writesAndLogsRunInsideTheirPut() throws Exception {
    serve(ServerConfig.defaults());
    try (FeastRemoteClient feast = feast();
        RemoteOfflineStore flightdeck = flightdeck();
        VectorSchemaRoot rows =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .timestamp("created")
                .float32("conv_rate")
                .int64("trips")
                .list("embedding", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))
                .row(
                    1003L,
                    at("2024-01-02T00:00:00Z"),
                    at("2024-01-02T00:00:00Z"),
                    0.75f,
                    75L,
                    List.of(0.5f, 0.25f))
                .build();
        VectorSchemaRoot table = FeastRemoteClient.fromPandas(rows, List.of(3L), allocator)) {
      feast.offlineWriteBatch("driver_hourly_stats", null, table);
      try (RetrievalJob job =
              flightdeck.pullAllFromTableOrQuery(
                  new PullRequest(
                      "driver_stats_source",
                      List.of("driver_id"),
                      List.of("trips"),
                      "event_timestamp",
                      Optional.empty(),
                      TimeRange.ALL));
          VectorSchemaRoot all = job.toArrow(allocator)) {
        assertThat(TableRows.of(all)).contains(List.of(1003L, 75L, at("2024-01-02T00:00:00Z")));
      }
      try (VectorSchemaRoot logs =
              TestTable.with(allocator)
                  .int64("driver_id")
                  .timestamp("__log_timestamp")
                  .row(1001L, at("2024-01-02T00:00:00Z"))
                  .build();
          VectorSchemaRoot logTable = FeastRemoteClient.fromPandas(logs, null, allocator)) {
        feast.writeLoggedFeatures("driver_activity", logTable);
      }
      try (Stream<Path> written = Files.walk(repository.resolve("logs/driver_activity"))) {
        assertThat(written.filter(Files::isRegularFile)).isNotEmpty();
      }
      assertFeastError(
          () -> feast.offlineWriteBatch("no_such_view", null, table),
          "FeatureViewNotFoundException",
          "UNKNOWN_FEATURE_VIEW");
    }
  }

  @Test
  void persistStoresAHistoricalRetrievalAndRefusesAPullsLostDestination() throws Exception {
    serve(ServerConfig.defaults());
    List<String> references = List.of("driver_hourly_stats:conv_rate");
    Map<String, Object> job =
        FeastRemoteClient.historicalParameters(
            List.of("driver_hourly_stats"),
            Arrays.asList((String) null),
            references,
            PROJECT,
            false,
            null,
            null);
    try (FeastRemoteClient feast = feast();
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        VectorSchemaRoot entityDf = FeastRemoteClient.fromPandas(entities, null, allocator)) {
      feast.persist("get_historical_features", job, entityDf, "training_set.parquet", false);
      assertThat(repository.resolve("out/training_set.parquet")).exists();
      assertFeastError(
          () ->
              feast.persist(
                  "get_historical_features", job, entityDf, "training_set.parquet", false),
          "SavedDatasetLocationAlreadyExists",
          "DESTINATION_EXISTS");
      Map<String, Object> pull = new LinkedHashMap<>();
      pull.put("data_source_name", "driver_stats_source");
      pull.put("join_key_columns", List.of("driver_id"));
      assertFeastError(
          () -> feast.persist("pull_all_from_table_or_query", pull, null, "saved", true),
          "FeastError",
          "INVALID_PARAMETER");
    }
  }

  @Test
  void unknownOrUnservedDefinitionsRaiseFeastsClassesAndFreeTheCall() throws Exception {
    serve(ServerConfig.defaults());
    try (FeastRemoteClient feast = feast();
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        VectorSchemaRoot entityDf = FeastRemoteClient.fromPandas(entities, null, allocator)) {
      long before = allocator.getAllocatedMemory();
      assertFeastError(
          () -> historical(feast, "missing_view:x", PROJECT, entityDf),
          "FeatureViewNotFoundException",
          "UNKNOWN_FEATURE_VIEW");
      assertFeastError(
          () -> historical(feast, "driver_hourly_stats:conv_rate", "elsewhere", entityDf),
          "FeatureViewNotFoundException",
          "UNKNOWN_FEATURE_VIEW");
      assertFeastError(
          () -> historical(feast, "conv_rate_plus_100:conv_rate_plus_100", PROJECT, entityDf),
          "FeastOfflineStoreUnsupportedDataSource",
          "UNSUPPORTED_DEFINITION");
      assertFeastError(
          () ->
              feast.pullLatestFromTableOrQuery(
                  "driver_stats_source",
                  List.of("driver_id"),
                  List.of("no_such_column"),
                  "event_timestamp",
                  null,
                  at("2024-01-01T00:00:00Z"),
                  at("2024-01-02T00:00:00Z")),
          "FeastObjectNotFoundException",
          "UNKNOWN_COLUMN");
      // a call refused at get_flight_info is dropped at once, not at the pending TTL (10 minutes)
      Poll.until(
          "the refused calls' memory freed",
          Duration.ofSeconds(5),
          () -> allocator.getAllocatedMemory() == before,
          () -> allocator.getAllocatedMemory() + " bytes allocated, " + before + " before");
    }
  }

  // ---- attacks: each a clear error with a code, and the server keeps serving ----

  @Test
  void malformedWrongTypedAndHugeDescriptorsAreRefusedWithACode() throws Exception {
    serve(ServerConfig.defaults());
    try (FeastRemoteClient feast = feast()) {
      assertFeastError(
          () -> feast.putTable(FlightDescriptor.command("{\"command_id\": ".getBytes(UTF_8)), null),
          "FeastError",
          "MALFORMED_COMMAND");
      assertFeastError(
          () ->
              feast.putTable(
                  FlightDescriptor.command(
                      ("{\"command_id\": \"" + UUID.randomUUID() + "\"}").getBytes(UTF_8)),
                  null),
          "FeastError",
          "MALFORMED_COMMAND");
      assertFeastError(
          () ->
              feast.putTable(
                  FlightDescriptor.command(
                      "{\"command_id\": \"../../etc\", \"api\": \"persist\"}".getBytes(UTF_8)),
                  null),
          "FeastError",
          "MALFORMED_COMMAND");
      Map<String, Object> wrong = new LinkedHashMap<>();
      wrong.put("feature_view_names", List.of("driver_hourly_stats"));
      wrong.put("feature_refs", "driver_hourly_stats:conv_rate");
      wrong.put("project", PROJECT);
      wrong.put("full_feature_names", "yes");
      wrong.put("name_aliases", Arrays.asList((String) null));
      assertFeastError(
          () -> feast.retrieve("get_historical_features", wrong, null),
          "FeastError",
          "INVALID_PARAMETER");
      assertFeastError(
          () -> feast.retrieve("drop_all_tables", Map.of(), null), "FeastError", "UNKNOWN_API");
      Map<String, Object> huge = new LinkedHashMap<>();
      huge.put("data_source_proto", "x".repeat(200_000));
      assertFeastError(
          () -> feast.validateDataSource("x".repeat(200_000)), "FeastError", "LIMIT_EXCEEDED");
      // a table where Feast sends the dummy
      try (VectorSchemaRoot entities = FeastFixture.entities(allocator)) {
        assertFeastError(
            () ->
                feast.callPut(
                    "validate_data_source",
                    Map.of("data_source_proto", DRIVER_SOURCE_PROTO),
                    entities),
            "FeastError",
            "INVALID_PARAMETER");
      }
      // a forged ticket, and a ticket for a command that does not exist
      assertFeastError(
          () -> feast.doGet(new Ticket("{\"command_id\": [1]}".getBytes(UTF_8))),
          "FeastError",
          "MALFORMED_COMMAND");
      assertFeastError(
          () ->
              feast.doGet(
                  new Ticket(("{\"command_id\": \"" + UUID.randomUUID() + "\"}").getBytes(UTF_8))),
          "FeastObjectNotFoundException",
          "UNKNOWN_COMMAND");
      // still serving, both dialects
      feast.validateDataSource(DRIVER_SOURCE_PROTO);
      try (RemoteOfflineStore flightdeck = flightdeck()) {
        flightdeck.validateDataSource("driver_stats_source");
      }
    }
  }

  @Test
  void aDoGetThatNeverComesExpiresAndFreesItsMemory() throws Exception {
    serve(ServerConfig.defaults().withPendingCommandTtl(Duration.ofSeconds(1)));
    try (FeastRemoteClient feast = feast();
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        VectorSchemaRoot entityDf = FeastRemoteClient.fromPandas(entities, null, allocator)) {
      long before = allocator.getAllocatedMemory();
      Map<String, Object> parameters =
          FeastRemoteClient.historicalParameters(
              List.of("driver_hourly_stats"),
              Arrays.asList((String) null),
              List.of("driver_hourly_stats:conv_rate"),
              PROJECT,
              false,
              null,
              null);
      FlightDescriptor abandoned = feast.callPut("get_historical_features", parameters, entityDf);
      assertThat(allocator.getAllocatedMemory()).isGreaterThan(before);
      Poll.until(
          "the abandoned command's memory freed",
          Duration.ofSeconds(20),
          () -> allocator.getAllocatedMemory() == before,
          () -> allocator.getAllocatedMemory() + " bytes allocated, " + before + " before the put");
      assertFeastError(
          () -> feast.getInfo(abandoned), "FeastObjectNotFoundException", "UNKNOWN_COMMAND");
    }
  }

  @Test
  void commandsBelongToTheirPrincipalAndWritesNeedTheWriteRole() throws Exception {
    Path tokens = work.resolve("tokens.yaml");
    Files.writeString(
        tokens,
        "tokens:\n"
            + "  - {principal: alice, sha256: "
            + TokenFile.sha256Hex(ALICE)
            + ", roles: [read, write]}\n"
            + "  - {principal: bob, sha256: "
            + TokenFile.sha256Hex(BOB)
            + ", roles: [read]}\n",
        UTF_8);
    serve(ServerConfig.defaults().withAuthTokens(tokens));
    try (FeastRemoteClient alice =
            new FeastRemoteClient(allocator, server.location(), Optional.of(ALICE));
        FeastRemoteClient bob =
            new FeastRemoteClient(allocator, server.location(), Optional.of(BOB));
        FeastRemoteClient nobody = feast();
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        VectorSchemaRoot entityDf = FeastRemoteClient.fromPandas(entities, null, allocator)) {
      Map<String, Object> parameters =
          FeastRemoteClient.historicalParameters(
              List.of("driver_hourly_stats"),
              Arrays.asList((String) null),
              List.of("driver_hourly_stats:conv_rate"),
              PROJECT,
              false,
              null,
              null);
      FlightDescriptor alices = alice.callPut("get_historical_features", parameters, entityDf);
      String id = commandIdOf(alices);
      // bob knows alice's command id: her descriptor, a ticket made from it, or a put under it
      assertFeastError(
          () -> bob.getInfo(alices), "FeastObjectNotFoundException", "UNKNOWN_COMMAND");
      assertFeastError(
          () -> bob.doGet(new Ticket(("{\"command_id\": \"" + id + "\"}").getBytes(UTF_8))),
          "FeastObjectNotFoundException",
          "UNKNOWN_COMMAND");
      assertFeastError(
          () -> bob.putTable(alices, null), "FeastObjectNotFoundException", "UNKNOWN_COMMAND");
      assertThatThrownBy(() -> nobody.getInfo(alices))
          .isInstanceOfSatisfying(
              FlightRuntimeException.class,
              e -> assertThat(e.status().code()).isEqualTo(FlightStatusCode.UNAUTHENTICATED));
      // alice's command is untouched
      FlightInfo info = alice.getInfo(alices);
      try (VectorSchemaRoot result = alice.doGet(info.getEndpoints().get(0).getTicket())) {
        assertThat(result.getRowCount()).isEqualTo(3);
      }
      try (VectorSchemaRoot rows =
          TestTable.with(allocator)
              .int64("driver_id")
              .timestamp("event_timestamp")
              .timestamp("created")
              .float32("conv_rate")
              .int64("trips")
              .row(1003L, at("2024-01-02T00:00:00Z"), at("2024-01-02T00:00:00Z"), 0.75f, 75L)
              .build()) {
        assertFeastError(
            () -> bob.offlineWriteBatch("driver_hourly_stats", null, rows),
            "FeastPermissionError",
            "PERMISSION_DENIED");
      }
    }
  }

  @Test
  void servesFeastOverTlsWithABearerToken() throws Exception {
    Path certificates = work.resolve("certificates");
    Files.createDirectories(certificates);
    TestCertificates authority = TestCertificates.authority("feast-dialect");
    Path ca = authority.caPem(certificates);
    Path[] pair = authority.server(certificates);
    Path tokens = work.resolve("tokens.yaml");
    Files.writeString(
        tokens,
        "tokens:\n  - {principal: alice, sha256: "
            + TokenFile.sha256Hex(ALICE)
            + ", roles: [read]}\n",
        UTF_8);
    serve(
        ServerConfig.defaults()
            .withTls(Optional.of(TlsSettings.of(pair[0], pair[1])))
            .withAuthTokens(tokens));
    try (FeastRemoteClient alice =
            new FeastRemoteClient(
                allocator,
                Location.forGrpcTls("localhost", server.port()),
                Optional.of(ALICE),
                Optional.of(ca));
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        VectorSchemaRoot entityDf = FeastRemoteClient.fromPandas(entities, null, allocator);
        VectorSchemaRoot result =
            alice.getHistoricalFeatures(
                List.of("driver_hourly_stats"),
                Arrays.asList((String) null),
                List.of("driver_hourly_stats:conv_rate"),
                PROJECT,
                false,
                entityDf,
                null,
                null)) {
      assertThat(result.getRowCount()).isEqualTo(3);
    }
  }

  @Test
  void theTestClientWritesWhatRemotePyWrites() {
    // CPython 3.11's json.dumps of remote.py's command for these parameters
    Map<String, Object> parameters =
        FeastRemoteClient.historicalParameters(
            List.of("driver_hourly_stats", "customer_profile"),
            Arrays.asList("driver_stats", null),
            List.of("driver_stats:conv_rate", "customer_profile:tier"),
            "fixture",
            true,
            at("2024-01-01T08:00:00Z"),
            null);
    assertThat(
            new String(
                FeastRemoteClient.command(
                    "8d6a366a-c8d3-4f96-b085-f9f686111815", "get_historical_features", parameters),
                UTF_8))
        .isEqualTo(
            "{\"command_id\": \"8d6a366a-c8d3-4f96-b085-f9f686111815\", \"api\":"
                + " \"get_historical_features\", \"feature_view_names\": [\"driver_hourly_stats\","
                + " \"customer_profile\"], \"feature_refs\": [\"driver_stats:conv_rate\","
                + " \"customer_profile:tier\"], \"project\": \"fixture\", \"full_feature_names\":"
                + " true, \"name_aliases\": [\"driver_stats\", null], \"start_date\":"
                + " \"2024-01-01T08:00:00+00:00\"}");
    assertThat(FeastRemoteClient.isoformat(Instant.parse("2024-01-01T10:00:00.123Z")))
        .isEqualTo("2024-01-01T10:00:00.123000+00:00");
    assertThat(
            FeastRemoteClient.exceptionData(
                "Flight RPC failed with message: Flight error: {\"module\": \"feast.errors\","
                    + " \"class\": \"FeastError\", \"message\": \"a } b\"}. Detail: Unknown"))
        .isEqualTo(
            "{\"module\": \"feast.errors\", \"class\": \"FeastError\", \"message\": \"a } b\"}");
  }

  @Test
  void theTestClientsTablesAreWhatPyarrowMakesFromPandas() {
    // pa.Table.from_pandas of these entities with the index [4, 7, 9], by pyarrow 25.0.1 and
    // pandas 2.3.3
    try (VectorSchemaRoot entities = FeastFixture.entities(allocator);
        VectorSchemaRoot table =
            FeastRemoteClient.fromPandas(entities, List.of(4L, 7L, 9L), allocator)) {
      assertThat(table.getSchema().getFields())
          .extracting(field -> field.getName() + ": " + field.getType())
          .containsExactly(
              "driver_id: Int(64, true)",
              "customer_id: Utf8",
              "event_timestamp: Timestamp(NANOSECOND, UTC)",
              "__index_level_0__: Int(64, true)");
      assertThat(table.getSchema().getCustomMetadata().get("pandas"))
          .isEqualTo(
              "{\"index_columns\": [\"__index_level_0__\"], \"column_indexes\": [{\"name\": null,"
                  + " \"field_name\": null, \"pandas_type\": \"unicode\", \"numpy_type\": \"object\","
                  + " \"metadata\": {\"encoding\": \"UTF-8\"}}], \"columns\": [{\"name\": \"driver_id\","
                  + " \"field_name\": \"driver_id\", \"pandas_type\": \"int64\", \"numpy_type\":"
                  + " \"int64\", \"metadata\": null}, {\"name\": \"customer_id\", \"field_name\":"
                  + " \"customer_id\", \"pandas_type\": \"unicode\", \"numpy_type\": \"object\","
                  + " \"metadata\": null}, {\"name\": \"event_timestamp\", \"field_name\":"
                  + " \"event_timestamp\", \"pandas_type\": \"datetimetz\", \"numpy_type\":"
                  + " \"datetime64[ns]\", \"metadata\": {\"timezone\": \"UTC\"}}, {\"name\": null,"
                  + " \"field_name\": \"__index_level_0__\", \"pandas_type\": \"int64\","
                  + " \"numpy_type\": \"int64\", \"metadata\": null}], \"attributes\": {},"
                  + " \"creator\": {\"library\": \"pyarrow\", \"version\": \"25.0.1\"},"
                  + " \"pandas_version\": \"2.3.3\"}");
    }
  }

  private static String commandIdOf(FlightDescriptor descriptor) {
    String json = new String(descriptor.getCommand(), UTF_8);
    int start = json.indexOf("\"command_id\": \"") + "\"command_id\": \"".length();
    return json.substring(start, json.indexOf('"', start));
  }

  private static void historical(
      FeastRemoteClient feast, String reference, String project, VectorSchemaRoot entityDf) {
    String view = reference.substring(0, reference.indexOf(':'));
    try (VectorSchemaRoot ignored =
        feast.getHistoricalFeatures(
            List.of(view),
            Arrays.asList((String) null),
            List.of(reference),
            project,
            false,
            entityDf,
            null,
            null)) {
      // an error is expected
    }
  }

  private static void assertFeastError(ThrowingCallable call, String feastClass, String code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FeastException.class,
            e -> {
              assertThat(e.module).isEqualTo("feast.errors");
              assertThat(e.feastClass).isEqualTo(feastClass);
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.flight.status().code()).isEqualTo(FlightStatusCode.UNKNOWN);
            });
  }

  private static List<String> names(VectorSchemaRoot table) {
    return table.getSchema().getFields().stream().map(Field::getName).toList();
  }
}
