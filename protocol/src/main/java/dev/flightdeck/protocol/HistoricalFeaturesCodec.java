package dev.flightdeck.protocol;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api.Param;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.TimeRange;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code get_historical_features} ↔ its parameter tables. The entity table travels as it is (the
 * caller streams {@code request.entityRows()} as {@code entity_df}); this class makes and reads the
 * other parameters.
 */
public final class HistoricalFeaturesCodec {
  private HistoricalFeaturesCodec() {}

  /** The parameter tables other than {@code entity_df}, by name; the caller closes them. */
  public static Map<String, VectorSchemaRoot> encodeOptions(
      HistoricalFeaturesRequest request, BufferAllocator allocator) {
    Map<String, VectorSchemaRoot> params = new LinkedHashMap<>();
    try {
      if (request.features() instanceof FeatureSelection.Service service) {
        params.put(
            Param.FEATURE_SERVICE,
            ParamTables.strings(Param.FEATURE_SERVICE, List.of(service.name()), allocator));
      } else {
        List<String> references =
            ((FeatureSelection.References) request.features())
                .references().stream().map(FeatureReference::toString).toList();
        params.put(Param.FEATURES, ParamTables.strings(Param.FEATURES, references, allocator));
      }
      params.put(
          Param.FULL_FEATURE_NAMES,
          ParamTables.bool(Param.FULL_FEATURE_NAMES, request.fullFeatureNames(), allocator));
      if (request.range().isPresent()) {
        TimeRange range = request.range().get();
        params.put(
            Param.START_DATE,
            ParamTables.timestamp(Param.START_DATE, range.start().orElseThrow(), allocator));
        params.put(
            Param.END_DATE,
            ParamTables.timestamp(Param.END_DATE, range.end().orElseThrow(), allocator));
      }
      return params;
    } catch (RuntimeException e) {
      params.values().forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  /**
   * The request the received parameters describe. The entity table in the result is the one in
   * {@code params}: its owner stays the caller.
   */
  public static HistoricalFeaturesRequest decode(Map<String, VectorSchemaRoot> tables) {
    Params params = Params.of(Api.GET_HISTORICAL_FEATURES, tables);
    FeatureSelection selection;
    if (params.has(Param.FEATURES) && params.has(Param.FEATURE_SERVICE)) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "params 'features' and 'feature_service' were both sent; send one of them");
    } else if (params.has(Param.FEATURES)) {
      selection = FeatureSelection.of(params.strings(Param.FEATURES));
    } else if (params.has(Param.FEATURE_SERVICE)) {
      selection = FeatureSelection.service(params.string(Param.FEATURE_SERVICE));
    } else {
      throw missing("neither 'features' nor 'feature_service' was sent; send one of them");
    }
    boolean fullFeatureNames = params.bool(Param.FULL_FEATURE_NAMES, false);
    boolean ranged = params.has(Param.START_DATE) || params.has(Param.END_DATE);
    if (params.has(Param.ENTITY_DF) && ranged) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "get_historical_features: send either 'entity_df' or 'start_date' and 'end_date', not"
              + " both");
    }
    if (!params.has(Param.ENTITY_DF)) {
      if (!ranged) {
        throw missing("param 'entity_df' was not sent (or 'start_date' and 'end_date' without it)");
      }
      Instant start =
          params
              .optionalTimestamp(Param.START_DATE)
              .orElseThrow(() -> params.missing(Param.START_DATE));
      Instant end =
          params
              .optionalTimestamp(Param.END_DATE)
              .orElseThrow(() -> params.missing(Param.END_DATE));
      return new HistoricalFeaturesRequest(
          null, selection, fullFeatureNames, Optional.of(TimeRange.between(start, end)));
    }
    return new HistoricalFeaturesRequest(
        params.table(Param.ENTITY_DF), selection, fullFeatureNames);
  }

  private static FlightdeckException missing(String message) {
    return new FlightdeckException(
        ErrorCode.MISSING_PARAMETER, "get_historical_features: " + message);
  }
}
