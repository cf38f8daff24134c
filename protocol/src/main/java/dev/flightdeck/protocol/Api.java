package dev.flightdeck.protocol;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The APIs served over {@code do_put} + {@code do_get}, by their wire names, with the parameters
 * each takes.
 */
public enum Api {
  GET_HISTORICAL_FEATURES(
      "get_historical_features",
      List.of(Param.ENTITY_DF, Param.FEATURES, Param.FEATURE_SERVICE, Param.FULL_FEATURE_NAMES));

  private final String wireName;
  private final List<String> params;

  Api(String wireName, List<String> params) {
    this.wireName = requireNonNull(wireName, "wireName is null");
    this.params = List.copyOf(params);
  }

  public String wireName() {
    return wireName;
  }

  public List<String> params() {
    return params;
  }

  public static Api fromWireName(String name) {
    for (Api api : values()) {
      if (api.wireName.equals(name)) {
        return api;
      }
    }
    throw new FlightdeckException(
        ErrorCode.UNKNOWN_API,
        "unknown api '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(Api::wireName).collect(Collectors.joining(", "))
            + ")");
  }

  public void checkParam(String param) {
    if (!params.contains(param)) {
      throw new FlightdeckException(
          ErrorCode.UNKNOWN_PARAMETER,
          "unknown param '"
              + param
              + "' for api '"
              + wireName
              + "' (known: "
              + String.join(", ", params)
              + ")");
    }
  }

  /** Parameter names, as sent in the {@code param} metadata key. */
  public static final class Param {
    public static final String ENTITY_DF = "entity_df";
    public static final String FEATURES = "features";
    public static final String FEATURE_SERVICE = "feature_service";
    public static final String FULL_FEATURE_NAMES = "full_feature_names";

    private Param() {}
  }
}
