package dev.flightdeck.protocol;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The APIs served, by their wire names, with the parameters each takes. Parameters always travel by
 * {@code do_put}; an API that returns data is then fetched with {@code do_get}, one that returns
 * none is run with {@code do_action} of its wire name.
 */
public enum Api {
  GET_HISTORICAL_FEATURES(
      "get_historical_features",
      Result.DATA,
      List.of(
          Param.ENTITY_DF,
          Param.FEATURES,
          Param.FEATURE_SERVICE,
          Param.FULL_FEATURE_NAMES,
          Param.START_DATE,
          Param.END_DATE)),
  PULL_LATEST_FROM_TABLE_OR_QUERY("pull_latest_from_table_or_query", Result.DATA, Param.PULL),
  PULL_ALL_FROM_TABLE_OR_QUERY("pull_all_from_table_or_query", Result.DATA, Param.PULL),
  GET_TABLE_COLUMN_NAMES_AND_TYPES(
      "get_table_column_names_and_types", Result.DATA, List.of(Param.DATA_SOURCE_NAME)),
  OFFLINE_WRITE_BATCH(
      "offline_write_batch", Result.ACTION, List.of(Param.FEATURE_VIEW, Param.TABLE)),
  WRITE_LOGGED_FEATURES(
      "write_logged_features", Result.ACTION, List.of(Param.FEATURE_SERVICE, Param.DATA)),
  VALIDATE_DATA_SOURCE("validate_data_source", Result.ACTION, List.of(Param.DATA_SOURCE_NAME));

  /** How a command's result is obtained once its parameters are put. */
  public enum Result {
    /** {@code do_get} streams it; {@code getFlightInfo} tells its schema. */
    DATA,
    /** {@code do_action} of the API's wire name runs it and answers JSON. */
    ACTION
  }

  private final String wireName;
  private final Result result;
  private final List<String> params;

  Api(String wireName, Result result, List<String> params) {
    this.wireName = requireNonNull(wireName, "wireName is null");
    this.result = requireNonNull(result, "result is null");
    this.params = List.copyOf(params);
  }

  public String wireName() {
    return wireName;
  }

  public Result result() {
    return result;
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

  /** Parameter names, as sent in the {@code param} metadata key (Feast's names). */
  public static final class Param {
    public static final String ENTITY_DF = "entity_df";
    public static final String FEATURES = "features";
    public static final String FEATURE_SERVICE = "feature_service";
    public static final String FULL_FEATURE_NAMES = "full_feature_names";
    public static final String START_DATE = "start_date";
    public static final String END_DATE = "end_date";
    public static final String DATA_SOURCE_NAME = "data_source_name";
    public static final String JOIN_KEY_COLUMNS = "join_key_columns";
    public static final String FEATURE_NAME_COLUMNS = "feature_name_columns";
    public static final String TIMESTAMP_FIELD = "timestamp_field";
    public static final String CREATED_TIMESTAMP_COLUMN = "created_timestamp_column";
    public static final String FEATURE_VIEW = "feature_view";
    public static final String TABLE = "table";
    public static final String DATA = "data";

    static final List<String> PULL =
        List.of(
            DATA_SOURCE_NAME,
            JOIN_KEY_COLUMNS,
            FEATURE_NAME_COLUMNS,
            TIMESTAMP_FIELD,
            CREATED_TIMESTAMP_COLUMN,
            START_DATE,
            END_DATE);

    private Param() {}
  }
}
