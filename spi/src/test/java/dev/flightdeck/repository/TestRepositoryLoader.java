package dev.flightdeck.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRepositoryLoader {
  private static final String VALID =
      """
      project: driver_demo
      offline_store: {type: file, batch_size: 1024}
      entities:
        - {name: driver, join_keys: [driver_id]}
      data_sources:
        - name: driver_stats_source
          path: data/driver_stats.parquet
          timestamp_field: event_timestamp
          created_timestamp_column: created
          field_mapping: {trips: avg_daily_trips}
      feature_views:
        - name: driver_hourly_stats
          entities: [driver]
          ttl: P1D
          source: driver_stats_source
          schema:
            - {name: conv_rate, dtype: float32}
            - {name: avg_daily_trips, dtype: int64}
      feature_services:
        - {name: driver_activity, features: ["driver_hourly_stats:conv_rate"]}
      """;

  @Test
  void loadsEveryKey(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("feature_store.yaml"), VALID);

    FeatureRepository repository = RepositoryLoader.load(dir);

    assertThat(repository.project()).isEqualTo("driver_demo");
    assertThat(repository.offlineStore())
        .isEqualTo(new OfflineStoreConfig("file", Map.of("batch_size", "1024")));
    assertThat(repository.entities()).containsExactly(new Entity("driver", List.of("driver_id")));
    assertThat(repository.dataSources())
        .containsExactly(
            new DataSource(
                "driver_stats_source",
                "data/driver_stats.parquet",
                "event_timestamp",
                Optional.of("created"),
                Map.of("trips", "avg_daily_trips")));
    FeatureView view = repository.featureView("driver_hourly_stats");
    assertThat(view.ttl()).isEqualTo(Duration.ofDays(1));
    assertThat(view.features())
        .containsExactly(
            new Feature("conv_rate", ValueType.FLOAT32),
            new Feature("avg_daily_trips", ValueType.INT64));
    assertThat(repository.joinKeys(view)).containsExactly("driver_id");
    assertThat(repository.featureService("driver_activity").features())
        .containsExactly(new FeatureReference("driver_hourly_stats", "conv_rate"));
    assertThat(repository.dataSource("driver_stats_source").mappedName("trips"))
        .isEqualTo("avg_daily_trips");
  }

  @Test
  void absentOrZeroTtlMeansNoLimit() {
    FeatureRepository absent = RepositoryLoader.parse(VALID.replace("    ttl: P1D\n", ""));
    FeatureRepository zero = RepositoryLoader.parse(VALID.replace("ttl: P1D", "ttl: PT0S"));

    assertThat(absent.featureView("driver_hourly_stats").hasTtl()).isFalse();
    assertThat(zero.featureView("driver_hourly_stats").hasTtl()).isFalse();
  }

  @Test
  void missingFileIsNamed(@TempDir Path dir) {
    assertRefused(() -> RepositoryLoader.load(dir), "no feature_store.yaml");
  }

  @Test
  void errorsNameTheBadEntryAndValue() {
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("project:", "projekt:")),
        "unknown key(s) [projekt]");
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("ttl: P1D", "ttl: one day")),
        "feature_views[0] 'driver_hourly_stats': ttl 'one day' is not an ISO-8601 duration");
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("dtype: float32", "dtype: float16")),
        "unknown dtype 'float16'");
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("dtype: float32", "dtype: array<float32>")),
        "unknown dtype 'array<float32>': list dtypes are written as in Feast, Array(<Feast type>):"
            + " Array(Int32), Array(Int64), Array(Float32)");
    assertThat(
            RepositoryLoader.parse(VALID.replace("dtype: float32", "dtype: Array(Float32)"))
                .featureView("driver_hourly_stats")
                .features()
                .get(0)
                .type())
        .isEqualTo(ValueType.listOf(ValueType.FLOAT32));
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("entities: [driver]", "entities: [rider]")),
        "feature view 'driver_hourly_stats' uses unknown entity 'rider' (known: driver)");
    assertRefused(
        () ->
            RepositoryLoader.parse(VALID.replace("source: driver_stats_source", "source: nowhere")),
        "reads unknown data source 'nowhere'");
    assertRefused(
        () ->
            RepositoryLoader.parse(
                VALID.replace(
                    "[\"driver_hourly_stats:conv_rate\"]", "[\"driver_hourly_stats:speed\"]")),
        "feature service 'driver_activity' lists unknown feature 'driver_hourly_stats:speed'");
    assertRefused(
        () ->
            RepositoryLoader.parse(
                VALID.replace("[\"driver_hourly_stats:conv_rate\"]", "[\"conv_rate\"]")),
        "malformed feature reference 'conv_rate'");
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("    timestamp_field: event_timestamp\n", "")),
        "data_sources[0] 'driver_stats_source': missing required key 'timestamp_field'");
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("name: avg_daily_trips", "name: conv_rate")),
        "declares feature 'conv_rate' twice");
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("name: conv_rate", "name: driver_id")),
        "also one of its join keys");
    assertRefused(
        () ->
            RepositoryLoader.parse(
                VALID.replace(
                    "{name: driver, join_keys: [driver_id]}",
                    "{name: driver, join_keys: [driver_id]}\n  - {name: driver, join_keys: [id]}")),
        "duplicate entity name 'driver'");
    assertRefused(
        () -> RepositoryLoader.parse(VALID.replace("name: conv_rate", "name: \"conv rate\"")),
        "'conv rate' is not a valid name");
    assertRefused(() -> RepositoryLoader.parse("project: [x"), "not valid YAML");
    assertRefused(
        () ->
            RepositoryLoader.parse(
                VALID.replace(
                    "path: data/driver_stats.parquet",
                    "path: data/driver_stats.parquet\n    table: t")),
        "give exactly one of path, table and query, not 2");
  }

  @Test
  void sourcesNameAPathATableOrAQuery() {
    FeatureRepository onTable =
        RepositoryLoader.parse(
            VALID.replace("path: data/driver_stats.parquet", "table: warehouse.driver_stats"));
    assertThat(onTable.dataSources().get(0).location())
        .isEqualTo(new SourceLocation.Table("warehouse.driver_stats"));
    FeatureRepository onQuery =
        RepositoryLoader.parse(
            VALID.replace("path: data/driver_stats.parquet", "query: \"SELECT * FROM s\""));
    assertThat(onQuery.dataSources().get(0).location())
        .isEqualTo(new SourceLocation.Query("SELECT * FROM s"));
    assertThatThrownBy(() -> onQuery.dataSources().get(0).path())
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPOSITORY))
        .hasMessageContaining("has a query where this backend reads files");
  }

  private static void assertRefused(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPOSITORY))
        .hasMessageContaining(message);
  }
}
