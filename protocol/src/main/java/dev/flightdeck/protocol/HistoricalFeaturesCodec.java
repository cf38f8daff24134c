package dev.flightdeck.protocol;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api.Param;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  public static HistoricalFeaturesRequest decode(Map<String, VectorSchemaRoot> params) {
    params.keySet().forEach(Api.GET_HISTORICAL_FEATURES::checkParam);
    VectorSchemaRoot entityRows = params.get(Param.ENTITY_DF);
    if (entityRows == null) {
      throw missing("param 'entity_df' was not sent");
    }
    VectorSchemaRoot features = params.get(Param.FEATURES);
    VectorSchemaRoot service = params.get(Param.FEATURE_SERVICE);
    FeatureSelection selection;
    if (features != null && service != null) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "params 'features' and 'feature_service' were both sent; send one of them");
    } else if (features != null) {
      selection = FeatureSelection.of(ParamTables.readStrings(Param.FEATURES, features));
    } else if (service != null) {
      selection = FeatureSelection.service(ParamTables.readString(Param.FEATURE_SERVICE, service));
    } else {
      throw missing("neither 'features' nor 'feature_service' was sent; send one of them");
    }
    VectorSchemaRoot fullNames = params.get(Param.FULL_FEATURE_NAMES);
    boolean fullFeatureNames =
        fullNames != null && ParamTables.readBool(Param.FULL_FEATURE_NAMES, fullNames);
    return new HistoricalFeaturesRequest(entityRows, selection, fullFeatureNames);
  }

  private static FlightdeckException missing(String message) {
    return new FlightdeckException(
        ErrorCode.MISSING_PARAMETER, "get_historical_features: " + message);
  }
}
