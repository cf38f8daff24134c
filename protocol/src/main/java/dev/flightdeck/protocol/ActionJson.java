package dev.flightdeck.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  /**
   * Parses a body; a malformed one is INVALID_PARAMETER naming the action and what is wrong in the
   * client's terms (keys, not the server's classes).
   */
  public static <T> T read(byte[] body, Class<T> type, String action) {
    String problem;
    try {
      T value = MAPPER.readValue(body, type);
      if (value != null) {
        return value;
      }
      problem = "it is null";
    } catch (UnrecognizedPropertyException e) {
      problem = "unknown key '" + cut(e.getPropertyName()) + "'";
    } catch (MismatchedInputException e) {
      Matcher missing = MISSING_PROPERTY.matcher(e.getOriginalMessage());
      String key =
          e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
      problem =
          missing.find()
              ? "it lacks the key '" + missing.group(1) + "'"
              : key != null ? "key '" + cut(key) + "' has the wrong type" : "it is not an object";
    } catch (JsonProcessingException e) {
      problem = "it is not valid JSON (" + cut(e.getOriginalMessage()) + ")";
    } catch (IOException e) {
      problem = "it cannot be read";
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        "action '"
            + action
            + "': the body must be a JSON object with the keys "
            + keysOf(type)
            + ", but "
            + problem
            + ": "
            + cut(new String(body, UTF_8)));
  }

  private static final Pattern MISSING_PROPERTY =
      Pattern.compile("Missing required creator property '([^']*)'");

  private static List<String> keysOf(Class<?> type) {
    PropertyNamingStrategies.NamingBase snake =
        (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    return type.isRecord()
        ? Arrays.stream(type.getRecordComponents())
            .map(component -> snake.translate(component.getName()))
            .toList()
        : List.of();
  }

  private static String cut(String text) {
    return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
