package dev.flightdeck.server.feast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.server.Limits;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.Ticket;

/**
 * One call in Feast's dialect: the descriptor's command is {@code json.dumps} of {@code
 * {"command_id": uuid, "api": name, ...parameters}}. Read once, with the errors the wire contract
 * promises: a descriptor that is not a JSON object, or lacks a UUID {@code command_id} or a string
 * {@code api}, is MALFORMED_COMMAND; a parameter of the wrong JSON type INVALID_PARAMETER; a
 * missing one MISSING_PARAMETER.
 */
public final class FeastCommand {
  public static final String COMMAND_ID = "command_id";
  public static final String API = "api";

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private final String commandId;
  private final String api;
  private final JsonNode body;

  private FeastCommand(String commandId, String api, JsonNode body) {
    this.commandId = requireNonNull(commandId, "commandId is null");
    this.api = requireNonNull(api, "api is null");
    this.body = requireNonNull(body, "body is null");
  }

  /**
   * Whether {@code bytes} are in Feast's dialect: a JSON object, where Flightdeck's own descriptors
   * and tickets are command ids (UUIDs).
   */
  public static boolean isFeast(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '{') {
        return true;
      }
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return false;
      }
    }
    return false;
  }

  public static boolean isFeast(FlightDescriptor descriptor) {
    return descriptor.isCommand() && isFeast(descriptor.getCommand());
  }

  public static boolean isFeast(Ticket ticket) {
    return isFeast(ticket.getBytes());
  }

  /** Reads a Feast command descriptor of at most {@code maxBytes} bytes. */
  public static FeastCommand parse(byte[] bytes, int maxBytes) {
    JsonNode body = object(bytes, maxBytes, "descriptor");
    String commandId = commandId(body, "descriptor");
    JsonNode api = body.get(API);
    if (api == null || !api.isTextual()) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "the Feast command "
              + commandId
              + " has "
              + (api == null ? "no 'api'" : "an 'api' that is not a string")
              + "; it names the offline store method to run");
    }
    return new FeastCommand(commandId, api.asText(), body);
  }

  /**
   * The ticket of a Feast command's endpoint: {@code {"command_id": uuid}}, a JSON object like the
   * descriptor, so do_get tells the dialects apart by the same rule.
   */
  public static Ticket ticket(String commandId) {
    Map<String, Object> ticket = new LinkedHashMap<>();
    ticket.put(COMMAND_ID, CommandIds.check(commandId));
    return new Ticket(PythonJson.dumps(ticket).getBytes(UTF_8));
  }

  /** The command id of a ticket made by {@link #ticket}. */
  public static String commandIdOf(Ticket ticket, int maxBytes) {
    return commandId(object(ticket.getBytes(), maxBytes, "ticket"), "ticket");
  }

  public String commandId() {
    return commandId;
  }

  public String api() {
    return api;
  }

  public boolean has(String key) {
    JsonNode value = body.get(key);
    return value != null && !value.isNull();
  }

  public String string(String key) {
    return optionalString(key).orElseThrow(() -> missing(key));
  }

  public Optional<String> optionalString(String key) {
    JsonNode value = body.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw wrongType(key, "a string", value);
    }
    return Optional.of(value.asText());
  }

  /** A list of strings; {@code nullable} lets items be null (Feast's {@code name_aliases}). */
  public List<String> strings(String key, boolean nullable) {
    JsonNode value = body.get(key);
    if (value == null || value.isNull()) {
      throw missing(key);
    }
    if (!value.isArray()) {
      throw wrongType(key, "a list of strings", value);
    }
    List<String> items = new ArrayList<>(value.size());
    for (JsonNode item : value) {
      if (item.isNull() && nullable) {
        items.add(null);
      } else if (item.isTextual()) {
        items.add(item.asText());
      } else {
        throw wrongType(key, "a list of strings", value);
      }
    }
    return items;
  }

  public boolean bool(String key, boolean otherwise) {
    JsonNode value = body.get(key);
    if (value == null || value.isNull()) {
      return otherwise;
    }
    if (!value.isBoolean()) {
      throw wrongType(key, "true or false", value);
    }
    return value.asBoolean();
  }

  /**
   * An instant written by Python's {@code datetime.isoformat()} and read back the way Feast's
   * server reads it ({@code datetime.fromisoformat}, then a missing zone means UTC).
   */
  public Optional<Instant> instant(String key) {
    return optionalString(key).map(text -> isoInstant(key, text));
  }

  static Instant isoInstant(String key, String text) {
    String iso =
        text.length() > 10 && text.charAt(10) == ' '
            ? text.substring(0, 10) + 'T' + text.substring(11)
            : text;
    try {
      if (iso.length() == 10) {
        return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
      }
      try {
        return OffsetDateTime.parse(iso).toInstant();
      } catch (DateTimeParseException e) {
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
      }
    } catch (DateTimeParseException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "'"
              + key
              + "' = '"
              + cut(text)
              + "' is not an ISO date-time (as Python's datetime.isoformat() writes it)",
          e);
    }
  }

  /** The raw value under {@code key}, for parameters that are themselves JSON. */
  public Optional<JsonNode> node(String key) {
    return Optional.ofNullable(body.get(key)).filter(value -> !value.isNull());
  }

  public FlightdeckException missing(String key) {
    return new FlightdeckException(
        ErrorCode.MISSING_PARAMETER, api + ": the Feast command has no '" + key + "'");
  }

  private FlightdeckException wrongType(String key, String expected, JsonNode value) {
    return new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        api + ": '" + key + "' must be " + expected + ", got " + describe(value));
  }

  private static String describe(JsonNode value) {
    return switch (value.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "a " + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static JsonNode object(byte[] bytes, int maxBytes, String what) {
    if (bytes.length > maxBytes) {
      throw new FlightdeckException(
          ErrorCode.LIMIT_EXCEEDED,
          "the Feast command "
              + what
              + " has "
              + bytes.length
              + " bytes, more than the "
              + Limits.bytes(maxBytes)
              + " allowed (--max-action-bytes)");
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(bytes);
    } catch (JsonParseException e) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "the Feast command " + what + " is not valid JSON (" + cut(e.getOriginalMessage()) + ")");
    } catch (JsonProcessingException e) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "the Feast command "
              + what
              + " cannot be read as JSON ("
              + cut(e.getOriginalMessage())
              + ")");
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND, "the Feast command " + what + " cannot be read");
    }
    if (body == null || !body.isObject()) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND, "the Feast command " + what + " is not a JSON object");
    }
    return body;
  }

  private static String commandId(JsonNode body, String what) {
    JsonNode id = body.get(COMMAND_ID);
    if (id == null || !id.isTextual()) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "the Feast command "
              + what
              + " has "
              + (id == null ? "no 'command_id'" : "a 'command_id' that is not a string")
              + " (Feast's client sends str(uuid.uuid4()))");
    }
    return CommandIds.check(id.asText());
  }

  static String cut(String text) {
    return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
