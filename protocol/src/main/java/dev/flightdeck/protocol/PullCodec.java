package dev.flightdeck.protocol;

import dev.flightdeck.protocol.Api.Param;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.TimeRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code pull_latest_from_table_or_query} and {@code pull_all_from_table_or_query} ↔ params. */
public final class PullCodec {
  private PullCodec() {}

  /** Every parameter table of the request, by name; the caller closes them. */
  public static Map<String, VectorSchemaRoot> encode(
      PullRequest request, BufferAllocator allocator) {
    Map<String, VectorSchemaRoot> params = new LinkedHashMap<>();
    try {
      params.put(
          Param.DATA_SOURCE_NAME,
          ParamTables.strings(Param.DATA_SOURCE_NAME, List.of(request.dataSource()), allocator));
      params.put(
          Param.JOIN_KEY_COLUMNS,
          ParamTables.strings(Param.JOIN_KEY_COLUMNS, request.joinKeyColumns(), allocator));
      params.put(
          Param.FEATURE_NAME_COLUMNS,
          ParamTables.strings(Param.FEATURE_NAME_COLUMNS, request.featureNameColumns(), allocator));
      params.put(
          Param.TIMESTAMP_FIELD,
          ParamTables.strings(Param.TIMESTAMP_FIELD, List.of(request.timestampField()), allocator));
      request
          .createdTimestampColumn()
          .ifPresent(
              column ->
                  params.put(
                      Param.CREATED_TIMESTAMP_COLUMN,
                      ParamTables.strings(
                          Param.CREATED_TIMESTAMP_COLUMN, List.of(column), allocator)));
      request
          .range()
          .start()
          .ifPresent(
              start ->
                  params.put(
                      Param.START_DATE, ParamTables.timestamp(Param.START_DATE, start, allocator)));
      request
          .range()
          .end()
          .ifPresent(
              end ->
                  params.put(
                      Param.END_DATE, ParamTables.timestamp(Param.END_DATE, end, allocator)));
      return params;
    } catch (RuntimeException e) {
      params.values().forEach(VectorSchemaRoot::close);
      throw e;
    }
  }

  public static PullRequest decode(Api api, Map<String, VectorSchemaRoot> tables) {
    Params params = Params.of(api, tables);
    return new PullRequest(
        params.string(Param.DATA_SOURCE_NAME),
        params.strings(Param.JOIN_KEY_COLUMNS),
        params.strings(Param.FEATURE_NAME_COLUMNS),
        params.string(Param.TIMESTAMP_FIELD),
        params.optionalString(Param.CREATED_TIMESTAMP_COLUMN),
        new TimeRange(
            params.optionalTimestamp(Param.START_DATE), params.optionalTimestamp(Param.END_DATE)));
  }
}
