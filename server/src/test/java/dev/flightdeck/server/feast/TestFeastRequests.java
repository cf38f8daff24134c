package dev.flightdeck.server.feast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.Entity;
import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.OfflineStoreConfig;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.server.auth.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestFeastRequests {
  private static final String ID = "8d6a366a-c8d3-4f96-b085-f9f686111815";
  private static final FeatureRepository REPOSITORY =
      new FeatureRepository(
          "fixture",
          new OfflineStoreConfig("file", Map.of()),
          List.of(new Entity("driver", List.of("driver_id"))),
          List.of(new DataSource("stats_source", "data/stats", "ts", Optional.empty(), Map.of())),
          List.of(
              new FeatureView(
                  "stats",
                  List.of("driver"),
                  Duration.ZERO,
                  "stats_source",
                  List.of(
                      new Feature("conv_rate", ValueType.FLOAT32),
                      new Feature("trips", ValueType.INT64)))),
          List.of(
              new FeatureService(
                  "activity",
                  List.of(new FeatureReference("stats", "conv_rate")),
                  Optional.empty(),
                  Map.of("stats", "s"))));

  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  @Test
  void historicalFeaturesBecomeFlightdecksParams() {
    FeastRequest request =
        translate(
            "get_historical_features",
            Map.of(
                "feature_view_names",
                List.of("stats"),
                "feature_refs",
                List.of("stats:conv_rate", "stats:trips"),
                "project",
                "fixture",
                "full_feature_names",
                true,
                "name_aliases",
                java.util.Arrays.asList((String) null),
                "start_date",
                "2024-01-01T00:00:00",
                "end_date",
                "2024-01-02T00:00:00+00:00"));
    assertThat(request.api()).isEqualTo(Api.GET_HISTORICAL_FEATURES);
    assertThat(request.tableParam()).contains("entity_df");
    assertThat(request.role()).isEqualTo(Role.READ);
    assertThat(request.runsInPut()).isFalse();
    assertThat(strings(request, "features")).containsExactly("stats:conv_rate", "stats:trips");
    try (VectorSchemaRoot flag = request.params().get("full_feature_names").read(allocator);
        VectorSchemaRoot start = request.params().get("start_date").read(allocator)) {
      assertThat(ParamTables.readBool("full_feature_names", flag)).isTrue();
      assertThat(ParamTables.readTimestamp("start_date", start))
          .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }
  }

  @Test
  void anAliasWithFullNamesIsTheServiceThatDefinesIt() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("feature_view_names", List.of("stats"));
    params.put("feature_refs", List.of("s:conv_rate"));
    params.put("project", "fixture");
    params.put("full_feature_names", true);
    params.put("name_aliases", List.of("s"));
    FeastRequest request = translate("get_historical_features", params);
    assertThat(strings(request, "feature_service")).containsExactly("activity");
    params.put("full_feature_names", false);
    assertThat(strings(translate("get_historical_features", params), "features"))
        .containsExactly("stats:conv_rate");
    params.put("full_feature_names", true);
    params.put("feature_refs", List.of("s:conv_rate", "s:trips"));
    assertCode(() -> translate("get_historical_features", params), ErrorCode.INVALID_PARAMETER);
  }

  @Test
  void refusesAnotherProjectAndSqlEntities() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("feature_view_names", List.of("stats"));
    params.put("feature_refs", List.of("stats:conv_rate"));
    params.put("project", "elsewhere");
    params.put("full_feature_names", false);
    params.put("name_aliases", java.util.Arrays.asList((String) null));
    assertCode(() -> translate("get_historical_features", params), ErrorCode.UNKNOWN_FEATURE_VIEW);
    params.put("project", "fixture");
    params.put("entity_df_sql", "SELECT * FROM secrets");
    assertCode(() -> translate("get_historical_features", params), ErrorCode.INVALID_PARAMETER);
  }

  @Test
  void pullsTakeTheSourcesTimestampFieldWhenFeastSendsNone() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("data_source_name", "stats_source");
    params.put("join_key_columns", List.of("driver_id"));
    params.put("feature_name_columns", List.of("trips"));
    params.put("timestamp_field", null);
    params.put("created_timestamp_column", "");
    params.put("start_date", null);
    params.put("end_date", null);
    FeastRequest request = translate("pull_all_from_table_or_query", params);
    assertThat(request.api()).isEqualTo(Api.PULL_ALL_FROM_TABLE_OR_QUERY);
    assertThat(request.tableParam()).isEmpty();
    assertThat(request.params().keySet())
        .containsExactly(
            "data_source_name", "join_key_columns", "feature_name_columns", "timestamp_field");
    assertThat(strings(request, "timestamp_field")).containsExactly("ts");
  }

  @Test
  void sourcesAreNamedByTheirProtoAsJson() {
    FeastRequest request =
        translate(
            "validate_data_source",
            Map.of(
                "data_source_proto",
                "{\n  \"type\": \"BATCH_FILE\",\n  \"name\": \"stats_source\"\n}"));
    assertThat(request.api()).isEqualTo(Api.VALIDATE_DATA_SOURCE);
    assertThat(request.runsInPut()).isTrue();
    assertThat(strings(request, "data_source_name")).containsExactly("stats_source");
    assertCode(
        () ->
            translate(
                "get_table_column_names_and_types_from_data_source",
                Map.of("data_source_proto", "{}")),
        ErrorCode.INVALID_PARAMETER);
    assertCode(
        () -> translate("validate_data_source", Map.of("data_source_proto", "not json")),
        ErrorCode.INVALID_PARAMETER);
  }

  @Test
  void writesNeedTheWriteRoleAndPersistNamesItsDestination() {
    Map<String, Object> write = new LinkedHashMap<>();
    write.put("feature_view_names", List.of("stats"));
    write.put("progress", null);
    write.put("name_aliases", java.util.Arrays.asList((String) null));
    FeastRequest batch = translate("offline_write_batch", write);
    assertThat(batch.role()).isEqualTo(Role.WRITE);
    assertThat(batch.tableParam()).contains("table");
    assertThat(strings(batch, "feature_view")).containsExactly("stats");

    Map<String, Object> persist = new LinkedHashMap<>();
    persist.put("data_source_name", "training.parquet");
    persist.put("allow_overwrite", true);
    persist.put("timeout", null);
    persist.put("feature_view_names", List.of("stats"));
    persist.put("feature_refs", List.of("stats:conv_rate"));
    persist.put("project", "fixture");
    persist.put("full_feature_names", false);
    persist.put("name_aliases", java.util.Arrays.asList((String) null));
    persist.put("retrieve_func", "get_historical_features");
    FeastRequest request = translate("persist", persist);
    assertThat(request.role()).isEqualTo(Role.WRITE);
    assertThat(request.persist()).contains(new FeastRequest.Persist("training", true));
    persist.put("retrieve_func", "pull_latest_from_table_or_query");
    assertCode(() -> translate("persist", persist), ErrorCode.INVALID_PARAMETER);
    persist.put("retrieve_func", "os.system");
    assertCode(() -> translate("persist", persist), ErrorCode.UNKNOWN_API);
    assertCode(() -> translate("drop_tables", Map.of()), ErrorCode.UNKNOWN_API);
  }

  private static FeastRequest translate(String api, Map<String, Object> params) {
    Map<String, Object> command = new LinkedHashMap<>();
    command.put("command_id", ID);
    command.put("api", api);
    command.putAll(params);
    return FeastRequests.translate(
        FeastCommand.parse(PythonJson.dumps(command).getBytes(UTF_8), 1 << 20),
        Optional.of(REPOSITORY));
  }

  private List<String> strings(FeastRequest request, String param) {
    try (VectorSchemaRoot table = request.params().get(param).read(allocator)) {
      return ParamTables.readStrings(param, table);
    }
  }

  private static void assertCode(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).isEqualTo(code));
  }
}
