package dev.flightdeck.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;

/**
 * The JSON bodies of {@code do_action} requests and results: snake_case keys, unknown keys refused
 * so a typo is an error rather than a silent default.
 */
public final class ActionJson {
  /** {@code persist}'s request: which pending command, where, and whether to replace. */
  public record PersistRequest(String command, String destination, boolean allowOverwrite) {}

  /** The result of an action that wrote rows. */
  public record Rows(long rows) {}

  /** The result of {@code validate_data_source}. */
  public record Validation(String dataSourceName, boolean valid) {}

  /** The result of {@code cancel}. */
  public record Cancelled(String command) {}

  /** The answer of {@code health}: {@code serving} while the server takes new commands. */
  public record Health(String status) {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.ALWAYS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

  private ActionJson() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INTERNAL_ERROR, "cannot write " + value + " as JSON: " + e.getMessage(), e);
    }
  }

  /** Parses a body; a malformed one is INVALID_PARAMETER naming the action. */
  public static <T> T read(byte[] body, Class<T> type, String action) {
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "action '"
              + action
              + "': body is not the expected JSON ("
              + e.getMessage().lines().findFirst().orElse("")
              + "): "
              + new String(body, UTF_8),
          e);
    }
  }
}
