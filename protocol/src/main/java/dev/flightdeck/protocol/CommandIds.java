package dev.flightdeck.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.UUID;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.Ticket;

/**
 * Command ids: random UUID strings made by the client. The descriptor of every {@code do_put} and
 * the ticket of the {@code do_get} are the id's UTF-8 bytes.
 */
public final class CommandIds {
  private CommandIds() {}

  public static String newId() {
    return UUID.randomUUID().toString();
  }

  public static String check(String commandId) {
    if (commandId == null) {
      throw new FlightdeckException(ErrorCode.MALFORMED_COMMAND, "command id is missing");
    }
    try {
      if (UUID.fromString(commandId).toString().equalsIgnoreCase(commandId)) {
        return commandId;
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below, which names the value
    }
    throw new FlightdeckException(
        ErrorCode.MALFORMED_COMMAND, "command id '" + abbreviate(commandId) + "' is not a UUID");
  }

  public static FlightDescriptor descriptor(String commandId) {
    return FlightDescriptor.command(check(commandId).getBytes(UTF_8));
  }

  public static Ticket ticket(String commandId) {
    return new Ticket(check(commandId).getBytes(UTF_8));
  }

  public static String fromDescriptor(FlightDescriptor descriptor) {
    if (!descriptor.isCommand()) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "descriptor must be a command holding the command id, not a path "
              + descriptor.getPath());
    }
    return check(new String(descriptor.getCommand(), UTF_8));
  }

  public static String fromTicket(Ticket ticket) {
    return check(new String(ticket.getBytes(), UTF_8));
  }

  private static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }
}
