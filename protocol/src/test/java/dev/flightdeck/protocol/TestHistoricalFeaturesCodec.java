package dev.flightdeck.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api.Param;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestHistoricalFeaturesCodec {
  private BufferAllocator allocator;
  private VectorSchemaRoot entities;
  private final Map<String, VectorSchemaRoot> params = new HashMap<>();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    entities = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp").build();
  }

  @AfterEach
  void tearDown() {
    params.values().forEach(VectorSchemaRoot::close);
    entities.close();
    allocator.close();
  }

  @Test
  void featureListRoundTrips() {
    HistoricalFeaturesRequest request =
        HistoricalFeaturesRequest.of(entities, List.of("a:x", "b:y")).withFullFeatureNames(true);

    params.putAll(HistoricalFeaturesCodec.encodeOptions(request, allocator));
    params.put(Param.ENTITY_DF, entities);
    HistoricalFeaturesRequest decoded = HistoricalFeaturesCodec.decode(params);
    params.remove(Param.ENTITY_DF);

    assertThat(decoded.entityRows()).isSameAs(entities);
    assertThat(decoded.features())
        .isEqualTo(
            new FeatureSelection.References(
                List.of(new FeatureReference("a", "x"), new FeatureReference("b", "y"))));
    assertThat(decoded.fullFeatureNames()).isTrue();
  }

  @Test
  void featureServiceRoundTrips() {
    HistoricalFeaturesRequest request =
        new HistoricalFeaturesRequest(entities, FeatureSelection.service("svc"), false);

    params.putAll(HistoricalFeaturesCodec.encodeOptions(request, allocator));
    assertThat(params).containsOnlyKeys(Param.FEATURE_SERVICE, Param.FULL_FEATURE_NAMES);
    params.put(Param.ENTITY_DF, entities);
    HistoricalFeaturesRequest decoded = HistoricalFeaturesCodec.decode(params);
    params.remove(Param.ENTITY_DF);

    assertThat(decoded.features()).isEqualTo(FeatureSelection.service("svc"));
    assertThat(decoded.fullFeatureNames()).isFalse();
  }

  @Test
  void fullFeatureNamesDefaultsToFalse() {
    params.put(Param.FEATURES, ParamTables.strings(Param.FEATURES, List.of("a:x"), allocator));
    params.put(Param.ENTITY_DF, entities);
    try {
      assertThat(HistoricalFeaturesCodec.decode(params).fullFeatureNames()).isFalse();
    } finally {
      params.remove(Param.ENTITY_DF);
    }
  }

  @Test
  void missingEntityTableIsRefused() {
    params.put(Param.FEATURES, ParamTables.strings(Param.FEATURES, List.of("a:x"), allocator));

    assertThatThrownBy(() -> HistoricalFeaturesCodec.decode(params))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_PARAMETER))
        .hasMessageContaining("entity_df");
  }

  @Test
  void featuresAndServiceTogetherAreRefused() {
    params.put(Param.FEATURES, ParamTables.strings(Param.FEATURES, List.of("a:x"), allocator));
    params.put(
        Param.FEATURE_SERVICE,
        ParamTables.strings(Param.FEATURE_SERVICE, List.of("svc"), allocator));
    params.put(Param.ENTITY_DF, entities);
    try {
      assertThatThrownBy(() -> HistoricalFeaturesCodec.decode(params))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    } finally {
      params.remove(Param.ENTITY_DF);
    }
  }

  @Test
  void neitherFeaturesNorServiceIsRefused() {
    params.put(Param.ENTITY_DF, entities);
    try {
      assertThatThrownBy(() -> HistoricalFeaturesCodec.decode(params))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_PARAMETER))
          .hasMessageContaining("feature_service");
    } finally {
      params.remove(Param.ENTITY_DF);
    }
  }

  @Test
  void wronglyShapedParamsAreRefusedByName() {
    params.put(Param.FEATURES, ParamTables.bool(Param.FEATURES, true, allocator));
    params.put(Param.ENTITY_DF, entities);
    try {
      assertThatThrownBy(() -> HistoricalFeaturesCodec.decode(params))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
          .hasMessageContaining("'features' must be one utf8 column");
    } finally {
      params.remove(Param.ENTITY_DF);
    }
  }

  @Test
  void malformedReferenceOnTheWireIsRefused() {
    params.put(Param.FEATURES, ParamTables.strings(Param.FEATURES, List.of("no_colon"), allocator));
    params.put(Param.ENTITY_DF, entities);
    try {
      assertThatThrownBy(() -> HistoricalFeaturesCodec.decode(params))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FEATURE_REFERENCE))
          .hasMessageContaining("no_colon");
    } finally {
      params.remove(Param.ENTITY_DF);
    }
  }
}
