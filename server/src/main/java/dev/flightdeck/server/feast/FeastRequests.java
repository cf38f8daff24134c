package dev.flightdeck.server.feast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.Api.Param;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.server.PendingCommands.ParamReader;
import java.io.IOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates Feast's remote-client calls (Feast 0.40 to 0.66, {@code remote.py}) into Flightdeck
 * commands, so the same handlers serve both dialects. Nothing here touches data: the parameters are
 * made later, in the command's own memory, by the {@link ParamReader}s returned.
 */
public final class FeastRequests {
  public static final String GET_HISTORICAL_FEATURES = "get_historical_features";
  public static final String PULL_LATEST = "pull_latest_from_table_or_query";
  public static final String PULL_ALL = "pull_all_from_table_or_query";
  public static final String COLUMNS = "get_table_column_names_and_types_from_data_source";
  public static final String OFFLINE_WRITE_BATCH = "offline_write_batch";
  public static final String WRITE_LOGGED_FEATURES = "write_logged_features";
  public static final String VALIDATE_DATA_SOURCE = "validate_data_source";
  public static final String PERSIST = "persist";

  static final List<String> APIS =
      List.of(
          GET_HISTORICAL_FEATURES,
          PULL_LATEST,
          PULL_ALL,
          COLUMNS,
          OFFLINE_WRITE_BATCH,
          WRITE_LOGGED_FEATURES,
          VALIDATE_DATA_SOURCE,
          PERSIST);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FeastRequests() {}

  /** The Flightdeck command for {@code command}, resolved against the served repository. */
  public static FeastRequest translate(
      FeastCommand command, Optional<FeatureRepository> repository) {
    Map<String, ParamReader> params = new LinkedHashMap<>();
    String id = command.commandId();
    return switch (command.api()) {
      case GET_HISTORICAL_FEATURES -> historical(command, repository, Optional.empty());
      case PULL_LATEST, PULL_ALL -> {
        Api api =
            command.api().equals(PULL_LATEST)
                ? Api.PULL_LATEST_FROM_TABLE_OR_QUERY
                : Api.PULL_ALL_FROM_TABLE_OR_QUERY;
        pull(command, repository, params);
        yield new FeastRequest(id, command.api(), api, params, Optional.empty(), Optional.empty());
      }
      case COLUMNS, VALIDATE_DATA_SOURCE -> {
        params.put(Param.DATA_SOURCE_NAME, strings(Param.DATA_SOURCE_NAME, sourceName(command)));
        Api api =
            command.api().equals(COLUMNS)
                ? Api.GET_TABLE_COLUMN_NAMES_AND_TYPES
                : Api.VALIDATE_DATA_SOURCE;
        yield new FeastRequest(id, command.api(), api, params, Optional.empty(), Optional.empty());
      }
      case OFFLINE_WRITE_BATCH -> {
        List<String> views = command.strings("feature_view_names", false);
        if (views.size() != 1) {
          throw new FlightdeckException(
              ErrorCode.INVALID_PARAMETER,
              "offline_write_batch: 'feature_view_names' must name exactly one view, got "
                  + views.size());
        }
        params.put(Param.FEATURE_VIEW, strings(Param.FEATURE_VIEW, views.get(0)));
        yield new FeastRequest(
            id,
            command.api(),
            Api.OFFLINE_WRITE_BATCH,
            params,
            Optional.of(Param.TABLE),
            Optional.empty());
      }
      case WRITE_LOGGED_FEATURES -> {
        params.put(
            Param.FEATURE_SERVICE,
            strings(Param.FEATURE_SERVICE, command.string("feature_service_name")));
        yield new FeastRequest(
            id,
            command.api(),
            Api.WRITE_LOGGED_FEATURES,
            params,
            Optional.of(Param.DATA),
            Optional.empty());
      }
      case PERSIST -> persist(command, repository);
      default ->
          throw new FlightdeckException(
              ErrorCode.UNKNOWN_API,
              "unknown Feast api '"
                  + FeastCommand.cut(command.api())
                  + "' (known: "
                  + String.join(", ", APIS)
                  + ")");
    };
  }

  private static FeastRequest persist(
      FeastCommand command, Optional<FeatureRepository> repository) {
    String retrieveFunc = command.string("retrieve_func");
    if (retrieveFunc.equals(PULL_LATEST) || retrieveFunc.equals(PULL_ALL)) {
      // remote.py copies the job's parameters over the persist's own, so a pull's
      // 'data_source_name' (the pulled source) replaces the destination's: where to store is lost.
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "persist of a "
              + retrieveFunc
              + " job cannot be served: Feast's client sends the pulled source's name in place of"
              + " the destination's, so the destination is unknown; persist a"
              + " get_historical_features job, or write the pulled table yourself");
    }
    if (!retrieveFunc.equals(GET_HISTORICAL_FEATURES)) {
      throw new FlightdeckException(
          ErrorCode.UNKNOWN_API,
          "persist: unknown 'retrieve_func' '"
              + FeastCommand.cut(retrieveFunc)
              + "' (known: "
              + GET_HISTORICAL_FEATURES
              + ")");
    }
    String name = command.string("data_source_name");
    String destination =
        name.endsWith(".parquet") ? name.substring(0, name.length() - ".parquet".length()) : name;
    return historical(
        command,
        repository,
        Optional.of(new FeastRequest.Persist(destination, command.bool("allow_overwrite", false))));
  }

  private static FeastRequest historical(
      FeastCommand command,
      Optional<FeatureRepository> repository,
      Optional<FeastRequest.Persist> persist) {
    String project = command.string("project");
    repository.ifPresent(
        served -> {
          if (!served.project().equals(project)) {
            throw new FlightdeckException(
                ErrorCode.UNKNOWN_FEATURE_VIEW,
                "project '"
                    + FeastCommand.cut(project)
                    + "' is not served here: this server serves Feast project '"
                    + served.project()
                    + "'");
          }
        });
    if (command.has("entity_df_sql")) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "get_historical_features: an entity_df given as SQL is not served (Flightdeck never runs"
              + " a client's SQL); pass the entity rows as a DataFrame");
    }
    List<String> references = command.strings("feature_refs", false);
    List<String> views = command.strings("feature_view_names", false);
    List<String> aliases = command.strings("name_aliases", true);
    if (aliases.size() != views.size()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "get_historical_features: 'name_aliases' has "
              + aliases.size()
              + " items and 'feature_view_names' "
              + views.size()
              + "; they go in pairs");
    }
    boolean fullFeatureNames = command.bool("full_feature_names", false);
    Map<String, String> viewOfAlias = new LinkedHashMap<>();
    for (int i = 0; i < views.size(); i++) {
      if (aliases.get(i) != null && !aliases.get(i).equals(views.get(i))) {
        viewOfAlias.put(aliases.get(i), views.get(i));
      }
    }
    List<String> plain = references.stream().map(ref -> unalias(ref, viewOfAlias)).toList();
    Map<String, ParamReader> params = new LinkedHashMap<>();
    if (!viewOfAlias.isEmpty() && fullFeatureNames) {
      // Only a feature service names a view by an alias: serve the service that matches.
      String service = serviceFor(plain, viewOfAlias, repository);
      params.put(Param.FEATURE_SERVICE, strings(Param.FEATURE_SERVICE, service));
    } else {
      params.put(Param.FEATURES, strings(Param.FEATURES, plain));
    }
    params.put(
        Param.FULL_FEATURE_NAMES,
        allocator -> ParamTables.bool(Param.FULL_FEATURE_NAMES, fullFeatureNames, allocator));
    command
        .instant("start_date")
        .ifPresent(start -> params.put(Param.START_DATE, at(Param.START_DATE, start)));
    command
        .instant("end_date")
        .ifPresent(end -> params.put(Param.END_DATE, at(Param.END_DATE, end)));
    return new FeastRequest(
        command.commandId(),
        command.api(),
        Api.GET_HISTORICAL_FEATURES,
        params,
        Optional.of(Param.ENTITY_DF),
        persist);
  }

  private static String unalias(String reference, Map<String, String> viewOfAlias) {
    int colon = reference.indexOf(':');
    if (colon <= 0) {
      return reference;
    }
    String view = viewOfAlias.get(reference.substring(0, colon));
    return view == null ? reference : view + reference.substring(colon);
  }

  private static String serviceFor(
      List<String> references,
      Map<String, String> viewOfAlias,
      Optional<FeatureRepository> repository) {
    Set<String> wanted = new HashSet<>(references);
    if (repository.isPresent()) {
      for (FeatureService service : repository.get().featureServices()) {
        Set<String> served = new HashSet<>();
        service.features().forEach(reference -> served.add(reference.toString()));
        boolean aliasesMatch =
            viewOfAlias.entrySet().stream()
                .allMatch(
                    alias -> alias.getKey().equals(service.viewAliases().get(alias.getValue())));
        if (aliasesMatch && served.equals(wanted)) {
          return service.name();
        }
      }
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        "get_historical_features: the features name views by aliases "
            + viewOfAlias
            + ", and no feature service of the repository serves exactly these features with"
            + " these aliases; request the feature service itself, or the views by their names");
  }

  private static void pull(
      FeastCommand command,
      Optional<FeatureRepository> repository,
      Map<String, ParamReader> params) {
    String source = command.string("data_source_name");
    params.put(Param.DATA_SOURCE_NAME, strings(Param.DATA_SOURCE_NAME, source));
    params.put(
        Param.JOIN_KEY_COLUMNS,
        strings(Param.JOIN_KEY_COLUMNS, command.strings("join_key_columns", false)));
    params.put(
        Param.FEATURE_NAME_COLUMNS,
        strings(Param.FEATURE_NAME_COLUMNS, command.strings("feature_name_columns", false)));
    // Feast lets pull_all leave the timestamp field out: the source's own is meant.
    String timestampField =
        command
            .optionalString("timestamp_field")
            .orElseGet(
                () ->
                    repository
                        .map(served -> served.dataSource(source).timestampField())
                        .orElseThrow(() -> command.missing("timestamp_field")));
    params.put(Param.TIMESTAMP_FIELD, strings(Param.TIMESTAMP_FIELD, timestampField));
    command
        .optionalString("created_timestamp_column")
        .filter(column -> !column.isEmpty())
        .ifPresent(
            column ->
                params.put(
                    Param.CREATED_TIMESTAMP_COLUMN,
                    strings(Param.CREATED_TIMESTAMP_COLUMN, column)));
    command
        .instant("start_date")
        .ifPresent(start -> params.put(Param.START_DATE, at(Param.START_DATE, start)));
    command
        .instant("end_date")
        .ifPresent(end -> params.put(Param.END_DATE, at(Param.END_DATE, end)));
  }

  /**
   * The name in {@code data_source_proto}: the source's protobuf as JSON ({@code str(data_source)}
   * is {@code MessageToJson}). Flightdeck resolves sources by name in its own repository; the rest
   * of the message (a path, a query) is never used.
   */
  static String sourceName(FeastCommand command) {
    JsonNode proto =
        command.node("data_source_proto").orElseThrow(() -> command.missing("data_source_proto"));
    if (proto.isTextual()) {
      try {
        proto = MAPPER.readTree(proto.asText());
      } catch (IOException e) {
        proto = null;
      }
    }
    if (proto == null || !proto.isObject()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          command.api() + ": 'data_source_proto' must be a DataSource protobuf as JSON");
    }
    JsonNode name = proto.get("name");
    if (name == null || !name.isTextual() || name.asText().isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          command.api()
              + ": 'data_source_proto' has no 'name'; Flightdeck finds data sources by name in the"
              + " repository it serves");
    }
    return name.asText();
  }

  private static ParamReader strings(String param, String value) {
    return strings(param, List.of(value));
  }

  private static ParamReader strings(String param, List<String> values) {
    List<String> copy = List.copyOf(values);
    return allocator -> ParamTables.strings(param, copy, allocator);
  }

  private static ParamReader at(String param, Instant instant) {
    return allocator -> ParamTables.timestamp(param, instant, allocator);
  }
}
