package dev.flightdeck.protocol;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The parameter tables one command received, read by name with the errors the wire contract
 * promises: an unknown name is UNKNOWN_PARAMETER, an absent required one MISSING_PARAMETER, a table
 * of the wrong shape INVALID_PARAMETER. The tables stay owned by the caller.
 */
public final class Params {
  private final Api api;
  private final Map<String, VectorSchemaRoot> tables;

  private Params(Api api, Map<String, VectorSchemaRoot> tables) {
    this.api = requireNonNull(api, "api is null");
    this.tables = requireNonNull(tables, "tables is null");
    tables.keySet().forEach(api::checkParam);
  }

  public static Params of(Api api, Map<String, VectorSchemaRoot> tables) {
    return new Params(api, tables);
  }

  public boolean has(String param) {
    return tables.containsKey(param);
  }

  public VectorSchemaRoot table(String param) {
    VectorSchemaRoot table = tables.get(param);
    if (table == null) {
      throw missing(param);
    }
    return table;
  }

  public String string(String param) {
    return ParamTables.readString(param, table(param));
  }

  public Optional<String> optionalString(String param) {
    return has(param) ? Optional.of(string(param)) : Optional.empty();
  }

  public List<String> strings(String param) {
    return ParamTables.readStrings(param, table(param));
  }

  public boolean bool(String param, boolean otherwise) {
    return has(param) ? ParamTables.readBool(param, table(param)) : otherwise;
  }

  public Optional<Instant> optionalTimestamp(String param) {
    return has(param)
        ? Optional.of(ParamTables.readTimestamp(param, table(param)))
        : Optional.empty();
  }

  public FlightdeckException missing(String param) {
    return new FlightdeckException(
        ErrorCode.MISSING_PARAMETER,
        api.wireName() + ": required param '" + param + "' was not sent");
  }
}
