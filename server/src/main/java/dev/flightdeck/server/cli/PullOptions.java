package dev.flightdeck.server.cli;

import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.TimeRange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What {@code pull-latest} and {@code pull-all} read: a data source's columns and a time range. */
final class PullOptions {
  @Option(
      names = "--source",
      required = true,
      paramLabel = "NAME",
      description = "Data source name in the server's repository.")
  String source;

  @Option(
      names = "--join-keys",
      split = ",",
      required = true,
      paramLabel = "COLUMN",
      description = "Join key columns, comma separated.")
  List<String> joinKeys;

  @Option(
      names = "--features",
      split = ",",
      required = true,
      paramLabel = "COLUMN",
      description = "Feature columns (names after the source's field_mapping), comma separated.")
  List<String> features;

  @Option(
      names = "--timestamp-field",
      required = true,
      paramLabel = "COLUMN",
      description = "The event timestamp column the range applies to.")
  String timestampField;

  @Option(
      names = "--created-column",
      paramLabel = "COLUMN",
      description = "Created timestamp column: breaks ties between rows of one key and time.")
  String createdColumn;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "First timestamp, inclusive (ISO-8601).")
  Instant start;

  @Option(
      names = "--end",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Last timestamp, inclusive (ISO-8601).")
  Instant end;

  PullRequest request() {
    return new PullRequest(
        source,
        joinKeys,
        features,
        timestampField,
        Optional.ofNullable(createdColumn),
        new TimeRange(Optional.ofNullable(start), Optional.ofNullable(end)));
  }
}
