package dev.flightdeck.cli;

import dev.flightdeck.tables.CsvTables;
import java.time.Instant;
import picocli.CommandLine;

/** ISO-8601 timestamps: with an offset, or UTC without one; a plain date is midnight UTC. */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    return CsvTables.parseTimestamp(value)
        .orElseThrow(
            () ->
                new CommandLine.TypeConversionException(
                    "'" + value + "' is not an ISO-8601 timestamp such as 2024-01-02T00:00:00Z"));
  }
}
