package dev.flightdeck.protocol;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The metadata every {@code do_put} stream's schema carries: which command it belongs to, which API
 * the command calls, and which parameter the stream holds.
 */
public record CommandHeader(String commandId, Api api, String param) {
  public static final String COMMAND_KEY = "command";
  public static final String API_KEY = "api";
  public static final String PARAM_KEY = "param";

  public CommandHeader {
    CommandIds.check(commandId);
    requireNonNull(api, "api is null");
    api.checkParam(param);
  }

  /** Reads and checks the header of a {@code do_put} stream. */
  public static CommandHeader fromSchema(Schema schema) {
    Map<String, String> metadata =
        schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata();
    return new CommandHeader(
        required(metadata, COMMAND_KEY),
        Api.fromWireName(required(metadata, API_KEY)),
        required(metadata, PARAM_KEY));
  }

  /** The schema with this header added to its metadata, keeping metadata already there. */
  public Schema tag(Schema schema) {
    Map<String, String> metadata = new HashMap<>();
    if (schema.getCustomMetadata() != null) {
      metadata.putAll(schema.getCustomMetadata());
    }
    metadata.put(COMMAND_KEY, commandId);
    metadata.put(API_KEY, api.wireName());
    metadata.put(PARAM_KEY, param);
    return new Schema(schema.getFields(), metadata);
  }

  /**
   * The schema without the header keys: the header describes the call, not the data a backend sees.
   */
  public static Schema strip(Schema schema) {
    Map<String, String> metadata =
        new HashMap<>(schema.getCustomMetadata() == null ? Map.of() : schema.getCustomMetadata());
    metadata.remove(COMMAND_KEY);
    metadata.remove(API_KEY);
    metadata.remove(PARAM_KEY);
    return new Schema(schema.getFields(), metadata.isEmpty() ? null : metadata);
  }

  private static String required(Map<String, String> metadata, String key) {
    String value = metadata.get(key);
    if (value == null) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "do_put schema has no '"
              + key
              + "' metadata (each parameter stream must carry 'command', 'api' and 'param')");
    }
    return value;
  }
}
