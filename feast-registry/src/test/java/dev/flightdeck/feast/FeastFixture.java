package dev.flightdeck.feast;

import static dev.flightdeck.contract.TestTable.at;
import static dev.flightdeck.feast.FeastProtos.entity;
import static dev.flightdeck.feast.FeastProtos.feature;
import static dev.flightdeck.feast.FeastProtos.featureService;
import static dev.flightdeck.feast.FeastProtos.featureView;
import static dev.flightdeck.feast.FeastProtos.fileSource;
import static dev.flightdeck.feast.FeastProtos.onDemandView;
import static dev.flightdeck.feast.FeastProtos.projection;
import static dev.flightdeck.feast.FeastProtos.pushSource;
import static dev.flightdeck.feast.FeastProtos.pushedView;
import static dev.flightdeck.feast.FeastProtos.streamView;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.feast.proto.core.DataSourceProto.DataSource;
import dev.flightdeck.feast.proto.core.RegistryProto.Registry;
import dev.flightdeck.feast.proto.types.ValueProto.ValueType;
import dev.flightdeck.tables.ParquetTableWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * A Feast repository as {@code feast apply} leaves it: Feast's {@code feature_store.yaml}, a file
 * registry written through Flightdeck's proto classes, and Parquet data. It has an integer join key
 * ({@code driver_id}) and a string one ({@code customer_id}), a 2-hour TTL, two driver rows at the
 * same event time told apart by their created timestamp, a field mapping ({@code bal ->
 * current_balance}), a feature service that aliases a view, a list-typed feature ({@code
 * embedding}, {@code FLOAT_LIST}, with a null list, an empty one and a null element), a view fed by
 * a push source, an on-demand and a stream view, and a second project in the same registry.
 */
public final class FeastFixture {
  public static final String PROJECT = "fixture";
  public static final String OTHER_PROJECT = "other";
  public static final String REGISTRY = "data/registry.db";
  public static final String CUSTOMER_FILE = "customer_profile.parquet";

  public static final String FEATURE_STORE_YAML =
      """
      project: fixture
      provider: local
      registry: data/registry.db
      online_store:
        type: sqlite
        path: data/online_store.db
      offline_store:
        type: file
      entity_key_serialization_version: 3
      auth:
        type: no_auth
      """;

  private FeastFixture() {}

  /**
   * Writes the repository into {@code repositoryDir}; the customer profiles go into {@code
   * dataRoot} under an absolute path when one is given, else into the repository's {@code data/}.
   */
  public static void write(Path repositoryDir, Optional<Path> dataRoot, BufferAllocator allocator) {
    writeDataAndRegistry(repositoryDir, dataRoot, allocator);
    writeFeatureStoreYaml(repositoryDir, FEATURE_STORE_YAML);
  }

  /** As {@link #write}, without {@code feature_store.yaml}: what examples/feast_repo generates. */
  public static void writeDataAndRegistry(
      Path repositoryDir, Optional<Path> dataRoot, BufferAllocator allocator) {
    Path customers =
        dataRoot
            .map(root -> root.toAbsolutePath().resolve(CUSTOMER_FILE))
            .orElse(repositoryDir.resolve("data").resolve(CUSTOMER_FILE));
    try (VectorSchemaRoot drivers = driverStats(allocator);
        VectorSchemaRoot profiles = customerProfiles(allocator)) {
      ParquetTableWriter.write(drivers, repositoryDir.resolve("data/driver_stats.parquet"));
      ParquetTableWriter.write(profiles, customers);
    }
    String customerPath = dataRoot.isPresent() ? customers.toString() : "data/" + CUSTOMER_FILE;
    FeastProtos.write(registry(customerPath), repositoryDir.resolve(REGISTRY));
  }

  public static void writeFeatureStoreYaml(Path repositoryDir, String yaml) {
    try {
      Files.createDirectories(repositoryDir);
      Files.writeString(repositoryDir.resolve("feature_store.yaml"), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The registry, with the customer profiles at {@code customerPath}. */
  public static Registry registry(String customerPath) {
    DataSource driverStats =
        fileSource(
            PROJECT,
            "driver_stats_source",
            "data/driver_stats.parquet",
            "event_timestamp",
            "created",
            Map.of());
    DataSource customerProfiles =
        fileSource(
            PROJECT,
            "customer_profile_source",
            customerPath,
            "ts",
            "",
            Map.of("bal", "current_balance"));
    DataSource push = pushSource(PROJECT, "driver_stats_push", driverStats);
    return Registry.newBuilder()
        .setRegistrySchemaVersion("1")
        .addProjects(FeastProtos.project(PROJECT))
        .addProjects(FeastProtos.project(OTHER_PROJECT))
        .addEntities(entity(PROJECT, "driver", "driver_id", ValueType.Enum.INT64))
        .addEntities(entity(PROJECT, "customer", "customer_id", ValueType.Enum.STRING))
        .addEntities(entity(PROJECT, "__dummy", "__dummy_id", ValueType.Enum.STRING))
        .addEntities(entity(OTHER_PROJECT, "rider", "rider_id", ValueType.Enum.INT64))
        .addDataSources(driverStats)
        .addDataSources(customerProfiles)
        .addDataSources(push)
        .addFeatureViews(
            featureView(
                PROJECT,
                "driver_hourly_stats",
                List.of("driver"),
                7200,
                driverStats,
                List.of(
                    feature("conv_rate", ValueType.Enum.FLOAT),
                    feature("trips", ValueType.Enum.INT64),
                    feature("embedding", ValueType.Enum.FLOAT_LIST))))
        .addFeatureViews(
            featureView(
                PROJECT,
                "customer_profile",
                List.of("customer"),
                0,
                customerProfiles,
                List.of(
                    feature("current_balance", ValueType.Enum.DOUBLE),
                    feature("tier", ValueType.Enum.STRING))))
        .addFeatureViews(
            pushedView(
                featureView(
                    PROJECT,
                    "driver_fresh_stats",
                    List.of("driver"),
                    7200,
                    driverStats,
                    List.of(feature("conv_rate", ValueType.Enum.FLOAT))),
                push))
        .addOnDemandFeatureViews(
            onDemandView(
                PROJECT,
                "conv_rate_plus_100",
                List.of(feature("conv_rate_plus_100", ValueType.Enum.DOUBLE))))
        .addStreamFeatureViews(
            streamView(PROJECT, "driver_trips_stream", List.of("driver"), driverStats))
        .addFeatureServices(
            featureService(
                PROJECT,
                "driver_activity",
                "logs/driver_activity",
                List.of(
                    projection(
                        "driver_hourly_stats",
                        "driver_stats",
                        List.of(
                            feature("conv_rate", ValueType.Enum.FLOAT),
                            feature("trips", ValueType.Enum.INT64))),
                    projection(
                        "customer_profile", "", List.of(feature("tier", ValueType.Enum.STRING))))))
        .addFeatureServices(
            featureService(
                PROJECT,
                "with_transform",
                "",
                List.of(projection("conv_rate_plus_100", "", List.of()))))
        .addFeatureServices(
            featureService(
                PROJECT,
                "with_embedding",
                "",
                List.of(
                    projection(
                        "driver_hourly_stats",
                        "",
                        List.of(feature("embedding", ValueType.Enum.FLOAT_LIST))))))
        .build();
  }

  /**
   * Driver 1001 at 09:00 and twice at 10:00 (created 10:00 and 10:30: the later one wins); driver
   * 1002 at 08:00.
   */
  public static VectorSchemaRoot driverStats(BufferAllocator allocator) {
    return TestTable.with(allocator)
        .int64("driver_id")
        .timestamp("event_timestamp")
        .timestamp("created")
        .float32("conv_rate")
        .int64("trips")
        .list("embedding", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))
        .row(
            1001L,
            at("2024-01-01T09:00:00Z"),
            at("2024-01-01T09:00:00Z"),
            0.1f,
            10L,
            List.of(0.1f, 0.2f))
        .row(
            1001L,
            at("2024-01-01T10:00:00Z"),
            at("2024-01-01T10:30:00Z"),
            0.25f,
            25L,
            java.util.Arrays.asList(0.25f, null))
        .row(1001L, at("2024-01-01T10:00:00Z"), at("2024-01-01T10:00:00Z"), 0.2f, 20L, List.of())
        .row(1002L, at("2024-01-01T08:00:00Z"), at("2024-01-01T08:00:00Z"), 0.5f, 50L, null)
        .build();
  }

  /** Customer profiles, stored with the balance in column {@code bal}. */
  public static VectorSchemaRoot customerProfiles(BufferAllocator allocator) {
    return TestTable.with(allocator)
        .string("customer_id")
        .timestamp("ts")
        .float64("bal")
        .string("tier")
        .row("c-7", at("2024-01-01T00:00:00Z"), 100.5, "gold")
        .row("c-7", at("2024-01-01T11:00:00Z"), 200.5, "silver")
        .row("c-8", at("2023-12-31T00:00:00Z"), 300.5, "bronze")
        .build();
  }

  /** Three entity rows; {@link #EXPECTED} is what {@code driver_activity} gives them. */
  public static VectorSchemaRoot entities(BufferAllocator allocator) {
    return TestTable.with(allocator)
        .int64("driver_id")
        .string("customer_id")
        .timestamp("event_timestamp")
        .row(1001L, "c-7", at("2024-01-01T10:45:00Z"))
        .row(1002L, "c-8", at("2024-01-01T11:00:00Z"))
        .row(1001L, "c-9", at("2024-01-01T09:30:00Z"))
        .build();
  }

  /**
   * Output columns of {@code driver_activity} with full feature names: the alias names the view.
   */
  public static final List<String> FULL_NAMES =
      List.of(
          "driver_id",
          "customer_id",
          "event_timestamp",
          "driver_stats__conv_rate",
          "driver_stats__trips",
          "customer_profile__tier");

  /**
   * The rows of {@code driver_activity} for {@link #entities}: the created-timestamp tie goes to
   * the later write; driver 1002's 08:00 row is past its 2-hour TTL at 11:00; customer c-9 is
   * unknown.
   */
  public static final List<List<Object>> EXPECTED =
      List.of(
          List.of(1001L, "c-7", at("2024-01-01T10:45:00Z"), 0.25f, 25L, "gold"),
          java.util.Arrays.asList(1002L, "c-8", at("2024-01-01T11:00:00Z"), null, null, "bronze"),
          java.util.Arrays.asList(1001L, "c-9", at("2024-01-01T09:30:00Z"), 0.1f, 10L, null));
}
