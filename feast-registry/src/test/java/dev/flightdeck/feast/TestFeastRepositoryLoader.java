package dev.flightdeck.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.flightdeck.backend.file.FileOfflineStoreFactory;
import dev.flightdeck.contract.TableRows;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.feast.proto.core.FeatureViewProto.FeatureView;
import dev.flightdeck.feast.proto.core.RegistryProto.Registry;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureStoreFile;
import dev.flightdeck.repository.RepositoryLoaders;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RetrievalJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestFeastRepositoryLoader {
  private static final RepositoryLoaders LOADERS =
      RepositoryLoaders.standard().with(new FeastRepositoryLoader());

  @TempDir Path temp;
  private Path repository;
  private BufferAllocator allocator;

  @BeforeEach
  void writeFixture() {
    allocator = new RootAllocator();
    repository = temp.resolve("repo");
    FeastFixture.write(repository, Optional.empty(), allocator);
  }

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void readsTheProjectsDefinitions() {
    FeatureRepository loaded = LOADERS.load(repository);

    assertThat(loaded.project()).isEqualTo("fixture");
    assertThat(loaded.offlineStore().type()).isEqualTo("file");
    assertThat(loaded.entities())
        .extracting(entity -> entity.name() + ":" + entity.joinKeys())
        .containsExactly("driver:[driver_id]", "customer:[customer_id]"); // not __dummy, not rider
    assertThat(loaded.dataSource("driver_stats_source"))
        .isEqualTo(
            new DataSource(
                "driver_stats_source",
                "data/driver_stats.parquet",
                "event_timestamp",
                Optional.of("created"),
                Map.of()));
    assertThat(loaded.dataSource("customer_profile_source").fieldMapping())
        .isEqualTo(Map.of("bal", "current_balance"));
    assertThat(loaded.dataSource("customer_profile_source").createdTimestampColumn()).isEmpty();

    var hourly = loaded.featureView("driver_hourly_stats");
    assertThat(hourly.entities()).containsExactly("driver");
    assertThat(hourly.ttl()).isEqualTo(Duration.ofHours(2));
    assertThat(hourly.source()).isEqualTo("driver_stats_source");
    assertThat(hourly.features())
        .extracting(feature -> feature.name() + ":" + feature.type())
        .containsExactly("conv_rate:float32", "trips:int64", "embedding:Array(Float32)");
    assertThat(loaded.featureView("customer_profile").ttl()).isZero();
    assertThat(loaded.featureView("customer_profile").features())
        .extracting(feature -> feature.type())
        .containsExactly(ValueType.FLOAT64, ValueType.STRING);

    var service = loaded.featureService("driver_activity");
    assertThat(service.features())
        .extracting(FeatureReference::toString)
        .containsExactly(
            "driver_hourly_stats:conv_rate", "driver_hourly_stats:trips", "customer_profile:tier");
    assertThat(service.viewAliases()).isEqualTo(Map.of("driver_hourly_stats", "driver_stats"));
    assertThat(service.loggingDestination()).contains("logs/driver_activity");
  }

  @Test
  void aViewFedByAPushSourceIsServedFromItsBatchSource() {
    FeatureRepository loaded = LOADERS.load(repository);

    assertThat(loaded.featureView("driver_fresh_stats").source()).isEqualTo("driver_stats_source");
    assertRefused(
        () -> loaded.dataSource("driver_stats_push"),
        "data source 'driver_stats_push'",
        "PUSH_SOURCE source: its history is read from its batch source 'driver_stats_source'");
  }

  @Test
  void onDemandAndStreamViewsAreListedAndRefusedByName() {
    FeatureRepository loaded = LOADERS.load(repository);

    assertThat(loaded.unserved())
        .extracting(definition -> definition.kind() + " " + definition.name())
        .contains(
            "FEATURE_VIEW conv_rate_plus_100",
            "FEATURE_VIEW driver_trips_stream",
            "FEATURE_SERVICE with_transform",
            "DATA_SOURCE driver_stats_push");
    assertRefused(
        () -> loaded.featureView("conv_rate_plus_100"),
        "feature view 'conv_rate_plus_100' cannot be served",
        "on-demand feature view: its transformation is Python code");
    assertRefused(() -> loaded.featureView("driver_trips_stream"), "stream feature view", "batch");
    assertRefused(
        () -> loaded.featureService("with_transform"),
        "feature service 'with_transform'",
        "uses feature view 'conv_rate_plus_100', which is an on-demand feature view");
  }

  @Test
  void listFeaturesAreServedAsArrowLists() {
    FeatureRepository loaded = LOADERS.load(repository);

    assertThat(loaded.feature(FeatureReference.parse("driver_hourly_stats:embedding")).type())
        .isEqualTo(ValueType.listOf(ValueType.FLOAT32));
    assertThat(loaded.unserved())
        .extracting(definition -> definition.name())
        .doesNotContain("driver_hourly_stats:embedding", "with_embedding");
    try (OfflineStore store = fileStore(loaded, List.of());
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        RetrievalJob job =
            store.getHistoricalFeatures(
                new HistoricalFeaturesRequest(
                    entities, FeatureSelection.service("with_embedding"), false));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      // 10:45: the created-timestamp tie's later row, with a null element; 11:00: driver 1002's
      // row is past the TTL; 09:30: the 09:00 row.
      assertThat(TableRows.of(result))
          .extracting(row -> row.get(3))
          .containsExactly(java.util.Arrays.asList(0.25f, null), null, List.of(0.1f, 0.2f));
    }
  }

  @Test
  void aFeastTypeFlightdeckDoesNotServeIsRefusedNamingTheServedOnes() {
    assertThat(FeastTypes.of(dev.flightdeck.feast.proto.types.ValueProto.ValueType.Enum.MAP))
        .isEmpty();
    assertThat(FeastTypes.refusal(dev.flightdeck.feast.proto.types.ValueProto.ValueType.Enum.MAP))
        .contains("is of Feast type MAP")
        .contains("FLOAT_LIST")
        .contains("UNIX_TIMESTAMP_LIST");
    assertThat(
            FeastTypes.of(
                dev.flightdeck.feast.proto.types.ValueProto.ValueType.Enum.UNIX_TIMESTAMP_LIST))
        .contains(ValueType.listOf(ValueType.TIMESTAMP));
  }

  @Test
  void servesTheFixtureThroughTheFileBackend() {
    try (OfflineStore store = fileStore(LOADERS.load(repository), List.of());
        VectorSchemaRoot entities = FeastFixture.entities(allocator);
        RetrievalJob job =
            store.getHistoricalFeatures(
                new HistoricalFeaturesRequest(
                    entities, FeatureSelection.service("driver_activity"), true));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      assertThat(result.getSchema().getFields())
          .extracting(field -> field.getName())
          .containsExactlyElementsOf(FeastFixture.FULL_NAMES);
      assertThat(TableRows.of(result)).containsExactlyElementsOf(FeastFixture.EXPECTED);
    }
  }

  @Test
  void anOnDemandViewIsRefusedByNameWhenRequested() {
    try (OfflineStore store = fileStore(LOADERS.load(repository), List.of());
        VectorSchemaRoot entities = FeastFixture.entities(allocator)) {
      assertRefused(
          () ->
              store
                  .getHistoricalFeatures(
                      HistoricalFeaturesRequest.of(
                          entities,
                          List.of(
                              "driver_hourly_stats:trips",
                              "conv_rate_plus_100:conv_rate_plus_100")))
                  .close(),
          "feature view 'conv_rate_plus_100' cannot be served",
          "Python");
    }
  }

  @Test
  void unknownFieldsAreSkippedSoNewerRegistriesLoad() throws IOException {
    Registry registry =
        FeastRepositoryLoader.readRegistry(repository.resolve(FeastFixture.REGISTRY));
    UnknownFieldSet future =
        UnknownFieldSet.newBuilder()
            .addField(
                99,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(ByteString.copyFromUtf8("a field of a later Feast"))
                    .addVarint(7)
                    .build())
            .build();
    Registry.Builder newer = registry.toBuilder().setUnknownFields(future);
    FeatureView view = newer.getFeatureViews(0);
    newer.setFeatureViews(
        0,
        view.toBuilder()
            .setSpec(view.getSpec().toBuilder().setUnknownFields(future))
            .setUnknownFields(future));
    FeastProtos.write(newer.build(), repository.resolve(FeastFixture.REGISTRY));

    assertThat(LOADERS.load(repository).featureView("driver_hourly_stats").features()).hasSize(3);
  }

  @Test
  void namesFlightdeckCannotServeRefuseTheirDefinitionsOnly() {
    Registry registry =
        FeastRepositoryLoader.readRegistry(repository.resolve(FeastFixture.REGISTRY));
    Registry.Builder odd = registry.toBuilder();
    odd.addEntities(
        FeastProtos.entity(
            FeastFixture.PROJECT,
            "rider-entity",
            "rider_id",
            dev.flightdeck.feast.proto.types.ValueProto.ValueType.Enum.INT64));
    FeatureView hourly = registry.getFeatureViews(0);
    odd.addFeatureViews(
        hourly.toBuilder()
            .setSpec(
                hourly.getSpec().toBuilder()
                    .setName("rider_stats")
                    .clearEntities()
                    .addEntities("rider-entity")));
    odd.addFeatureViews(
        hourly.toBuilder().setSpec(hourly.getSpec().toBuilder().setName("driver-stats")));
    FeastProtos.write(odd.build(), repository.resolve(FeastFixture.REGISTRY));

    FeatureRepository loaded = LOADERS.load(repository);
    assertRefused(
        () -> loaded.featureView("rider_stats"), "uses entity 'rider-entity', which is not valid");
    assertThat(loaded.unserved())
        .extracting(definition -> definition.name())
        .contains("driver-stats");
    assertThat(loaded.featureView("driver_hourly_stats").features()).hasSize(3);
  }

  @Test
  void aMissingRegistryFileSaysToRunFeastApply() throws IOException {
    Files.delete(repository.resolve(FeastFixture.REGISTRY));

    assertInvalid(() -> LOADERS.load(repository), "registry.db does not exist", "run feast apply");
  }

  @Test
  void aFileThatIsNoRegistryIsRefused() throws IOException {
    Files.writeString(repository.resolve(FeastFixture.REGISTRY), "project: not a registry\n");

    assertInvalid(() -> LOADERS.load(repository), "is not a Feast file registry");
  }

  @Test
  void aProjectTheRegistryLacksIsRefusedListingItsProjects() {
    FeastFixture.writeFeatureStoreYaml(
        repository, FeastFixture.FEATURE_STORE_YAML.replace("project: fixture", "project: nope"));

    assertInvalid(
        () -> LOADERS.load(repository),
        "holds no project 'nope'",
        "projects in it: fixture, other");
  }

  @Test
  void anotherProjectOfTheSameRegistryIsServedAlone() {
    FeastFixture.writeFeatureStoreYaml(
        repository, FeastFixture.FEATURE_STORE_YAML.replace("project: fixture", "project: other"));

    FeatureRepository other = LOADERS.load(repository);
    assertThat(other.entities()).extracting(entity -> entity.name()).containsExactly("rider");
    assertThat(other.featureViews()).isEmpty();
  }

  @Test
  void anOfflineStoreOtherThanFilesIsRefusedByType() {
    FeastFixture.writeFeatureStoreYaml(
        repository,
        FeastFixture.FEATURE_STORE_YAML.replace(
            "offline_store:\n  type: file", "offline_store:\n  type: bigquery"));

    assertInvalid(() -> LOADERS.load(repository), "not supported: offline_store type 'bigquery'");
  }

  @Test
  void aNonFileRegistryIsRefusedByType() {
    FeastFixture.writeFeatureStoreYaml(
        repository,
        FeastFixture.FEATURE_STORE_YAML.replace(
            "registry: data/registry.db",
            "registry:\n  registry_type: sql\n  path: postgresql://localhost/feast"));

    assertInvalid(() -> LOADERS.load(repository), "registry.registry_type 'sql'");
  }

  @Test
  void onlineKeysAreIgnoredAndOfflineOnesAreRefusedByName() {
    FeastConfig config =
        FeastConfig.from(
            new FeatureStoreFile(
                repository,
                repository.resolve("feature_store.yaml"),
                FeatureStoreFile.parseYaml(
                    FeastFixture.FEATURE_STORE_YAML + "feature_server: {type: local}\n")));
    assertThat(config.ignoredKeys())
        .containsExactlyInAnyOrder(
            "provider",
            "online_store",
            "entity_key_serialization_version",
            "auth",
            "feature_server");
    assertThat(config.warnings()).isEmpty();
    assertThat(config.registry()).isEqualTo(repository.resolve("data/registry.db"));

    FeastFixture.writeFeatureStoreYaml(
        repository, FeastFixture.FEATURE_STORE_YAML + "coerce_tz_aware: false\n");
    assertInvalid(() -> LOADERS.load(repository), "not supported: coerce_tz_aware");
    FeastFixture.writeFeatureStoreYaml(
        repository, FeastFixture.FEATURE_STORE_YAML + "offline_stor: {type: file}\n");
    assertInvalid(() -> LOADERS.load(repository), "unknown key(s) offline_stor");
  }

  @Test
  void feastAuthIsNotEnforcedAndTheOperatorIsWarned() {
    FeastConfig config =
        FeastConfig.from(
            new FeatureStoreFile(
                repository,
                repository.resolve("feature_store.yaml"),
                FeatureStoreFile.parseYaml(
                    FeastFixture.FEATURE_STORE_YAML.replace("type: no_auth", "type: oidc"))));
    assertThat(config.warnings()).singleElement().asString().contains("--auth-jwks");
  }

  @Test
  void flightdecksOwnFileStillLoadsBesideTheFeastLoader() throws IOException {
    Path own = temp.resolve("own");
    FeastFixture.writeFeatureStoreYaml(
        own,
        """
        project: own
        offline_store: {type: file}
        entities: [{name: driver, join_keys: [driver_id]}]
        data_sources: [{name: stats, path: data/stats, timestamp_field: ts}]
        feature_views:
          - {name: hourly, entities: [driver], source: stats, schema: [{name: trips, dtype: int64}]}
        """);

    assertThat(LOADERS.load(own).featureView("hourly").source()).isEqualTo("stats");
    assertInvalid(
        () -> RepositoryLoaders.standard().load(repository),
        "names a Feast registry, and this process reads no Feast repositories");
  }

  @Test
  void aDataPathOutsideEveryRootIsRefusedNamingTheFlag() {
    Path shared = temp.resolve("shared");
    Path other = temp.resolve("other");
    FeastFixture.write(other, Optional.of(shared), allocator);
    FeatureRepository loaded = LOADERS.load(other);
    assertThat(loaded.dataSource("customer_profile_source").path())
        .isEqualTo(shared.toAbsolutePath().resolve(FeastFixture.CUSTOMER_FILE).toString());

    assertInvalid(
        () -> fileStore(other, loaded, List.of()).close(),
        "data source 'customer_profile_source'",
        "outside the repository folder",
        "--data-root");
    fileStore(other, loaded, List.of(shared)).close();
  }

  private OfflineStore fileStore(FeatureRepository loaded, List<Path> dataRoots) {
    return fileStore(repository, loaded, dataRoots);
  }

  private OfflineStore fileStore(Path folder, FeatureRepository loaded, List<Path> dataRoots) {
    return new FileOfflineStoreFactory()
        .create(new OfflineStoreContext(loaded, folder, dataRoots, allocator));
  }

  private static void assertRefused(ThrowingCallable call, String... parts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_DEFINITION))
        .satisfies(e -> assertThat(e.getMessage()).contains(parts));
  }

  private static void assertInvalid(ThrowingCallable call, String... parts) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPOSITORY))
        .satisfies(e -> assertThat(e.getMessage()).contains(parts));
  }
}
