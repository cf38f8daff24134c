package dev.flightdeck.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.spi.FeatureSelection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRepositoryLoaders {
  @TempDir Path repository;

  /** A stand-in for the Feast loader: it reads files naming a registry. */
  private static final RepositoryLoader REGISTRY_LOADER =
      new RepositoryLoader() {
        @Override
        public String format() {
          return "registry format";
        }

        @Override
        public boolean reads(FeatureStoreFile file) {
          return file.root().has(FeatureStoreFile.FEAST_REGISTRY_KEY);
        }

        @Override
        public FeatureRepository load(FeatureStoreFile file) {
          return repository(file.root().get("project").asText());
        }
      };

  @Test
  void theFileDecidesWhichLoaderReadsIt() throws IOException {
    RepositoryLoaders loaders = RepositoryLoaders.standard().with(REGISTRY_LOADER);

    Files.writeString(
        repository.resolve("feature_store.yaml"),
        "project: feast_project\nregistry: data/registry.db\n");
    assertThat(loaders.load(repository).project()).isEqualTo("feast_project");

    Files.writeString(
        repository.resolve("feature_store.yaml"), "project: own\noffline_store: {type: file}\n");
    assertThat(loaders.load(repository).project()).isEqualTo("own");
  }

  @Test
  void aFeastFileWithoutTheFeastLoaderIsRefusedSayingSo() throws IOException {
    Files.writeString(
        repository.resolve("feature_store.yaml"), "project: p\nregistry: data/registry.db\n");

    assertThatThrownBy(() -> RepositoryLoaders.standard().load(repository))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining(
            "names a Feast registry, and this process reads no Feast repositories")
        .hasMessageContaining("formats: Flightdeck feature_store.yaml");
  }

  @Test
  void unservedDefinitionsAreRefusedByNameWithTheirReason() {
    FeatureRepository repository = repository("p");

    assertThat(repository.featureView("hourly").features()).hasSize(1);
    assertThatThrownBy(() -> repository.featureView("on_demand"))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_DEFINITION))
        .hasMessage("feature view 'on_demand' cannot be served: it is computed in Python");
    assertThatThrownBy(() -> repository.feature(FeatureReference.parse("hourly:attributes")))
        .hasMessageContaining("is of Feast type MAP");
    assertThatThrownBy(() -> repository.feature(FeatureReference.parse("hourly:nope")))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE));
  }

  @Test
  void aServiceAliasNamesItsViewInFullFeatureNames() {
    Schema entities =
        new Schema(
            List.of(
                Field.nullable("driver_id", new ArrowType.Int(64, true)),
                Field.nullable(
                    "event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));

    RetrievalPlan plan =
        RetrievalPlan.create(repository("p"), entities, FeatureSelection.service("svc"), true);
    assertThat(plan.outputSchema().getFields())
        .extracting(Field::getName)
        .containsExactly("driver_id", "event_timestamp", "stats__trips");
    assertThat(
            RetrievalPlan.create(
                    repository("p"), entities, FeatureSelection.of(List.of("hourly:trips")), true)
                .outputSchema()
                .getFields())
        .extracting(Field::getName)
        .contains("hourly__trips");
  }

  private static FeatureRepository repository(String project) {
    return new FeatureRepository(
        project,
        new OfflineStoreConfig("file", Map.of()),
        List.of(new Entity("driver", List.of("driver_id"))),
        List.of(new DataSource("stats", "data/stats", "ts", Optional.empty(), Map.of())),
        List.of(
            new FeatureView(
                "hourly",
                List.of("driver"),
                Duration.ZERO,
                "stats",
                List.of(new Feature("trips", ValueType.INT64)))),
        List.of(
            new FeatureService(
                "svc",
                List.of(FeatureReference.parse("hourly:trips")),
                Optional.empty(),
                Map.of("hourly", "stats"))),
        List.of(
            new UnservedDefinition(
                UnservedDefinition.Kind.FEATURE_VIEW, "on_demand", "is computed in Python"),
            new UnservedDefinition(
                UnservedDefinition.Kind.FEATURE,
                "hourly:attributes",
                "is of Feast type MAP, which Flightdeck does not serve")));
  }
}
