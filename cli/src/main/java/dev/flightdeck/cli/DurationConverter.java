package dev.flightdeck.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;

/** ISO-8601 durations such as {@code PT10M}, with a message that shows the expected form. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not an ISO-8601 duration such as PT10M or PT30S");
    }
  }
}
