package dev.flightdeck.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.FeatureSelection;
import java.util.List;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class TestRetrievalPlan {
  private static final FeatureRepository REPOSITORY =
      RepositoryLoader.parse(
          """
      project: plan
      offline_store: {type: file}
      entities: [{name: driver, join_keys: [driver_id]}, {name: rider, join_keys: [rider_id]}]
      data_sources: [{name: s, path: s.parquet, timestamp_field: ts}]
      feature_views:
        - {name: a, entities: [driver], source: s, schema: [{name: x, dtype: int64}, {name: y, dtype: string}]}
        - {name: b, entities: [driver, rider], source: s, schema: [{name: x, dtype: float64}]}
      feature_services:
        - {name: svc, features: ["b:x", "a:y"]}
      """);
  private static final Schema ENTITIES =
      new Schema(
          List.of(
              Field.nullable("rider_id", new ArrowType.Int(32, true)),
              Field.nullable("driver_id", ArrowType.Utf8.INSTANCE),
              Field.nullable(
                  "event_timestamp", new ArrowType.Timestamp(TimeUnit.NANOSECOND, null))));

  @Test
  void groupsByViewAndOrdersOutputAsRequested() {
    RetrievalPlan plan =
        RetrievalPlan.create(
            REPOSITORY, ENTITIES, FeatureSelection.of(List.of("a:y", "b:x", "a:x")), true);

    assertThat(plan.outputSchema().getFields())
        .extracting(Field::getName)
        .containsExactly("rider_id", "driver_id", "event_timestamp", "a__y", "b__x", "a__x");
    assertThat(plan.views()).extracting(view -> view.view().name()).containsExactly("a", "b");
    assertThat(plan.views().get(0).features())
        .extracting(ResolvedFeature::outputName)
        .containsExactly("a__y", "a__x");
    assertThat(plan.views().get(1).joinKeys()).containsExactly("driver_id", "rider_id");
    // a:y is view 0's first feature, b:x view 1's first, a:x view 0's second.
    assertThat(plan.slots())
        .containsExactly(
            new RetrievalPlan.Slot(0, 0),
            new RetrievalPlan.Slot(1, 0),
            new RetrievalPlan.Slot(0, 1));
    assertThat(plan.outputColumn(0, 1)).isEqualTo(5);
    assertThat(plan.outputColumn(1, 0)).isEqualTo(4);
  }

  @Test
  void serviceExpandsToItsFeatures() {
    RetrievalPlan plan =
        RetrievalPlan.create(REPOSITORY, ENTITIES, FeatureSelection.service("svc"), false);

    assertThat(plan.features()).extracting(ResolvedFeature::outputName).containsExactly("x", "y");
    assertThat(plan.outputSchema().findField("x").getType())
        .isEqualTo(
            new ArrowType.FloatingPoint(
                org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE));
  }

  @Test
  void shortNameCollisionAsksForFullFeatureNames() {
    assertThatThrownBy(
            () ->
                RetrievalPlan.create(
                    REPOSITORY, ENTITIES, FeatureSelection.of(List.of("a:x", "b:x")), false))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_COLLISION))
        .hasMessage(
            "features 'a:x' and 'b:x' are both named 'x' in the result; set full_feature_names to name them view__feature");
  }

  @Test
  void sameFeatureTwiceIsACollisionEvenWithFullNames() {
    assertThatThrownBy(
            () ->
                RetrievalPlan.create(
                    REPOSITORY, ENTITIES, FeatureSelection.of(List.of("a:x", "a:x")), true))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.NAME_COLLISION))
        .hasMessageContaining("'a:x' is requested twice");
  }

  @Test
  void unsupportedJoinKeyTypeIsNamed() {
    Schema floatKey =
        new Schema(
            List.of(
                Field.nullable(
                    "driver_id",
                    new ArrowType.FloatingPoint(
                        org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)),
                Field.nullable(
                    "event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));

    assertThatThrownBy(
            () ->
                RetrievalPlan.create(
                    REPOSITORY, floatKey, FeatureSelection.of(List.of("a:x")), false))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ENTITY_TABLE))
        .hasMessageContaining("'driver_id'");
  }
}
