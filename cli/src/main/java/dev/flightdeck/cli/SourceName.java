package dev.flightdeck.cli;

import picocli.CommandLine.Option;

/** The {@code --source} of a command about one data source. */
final class SourceName {
  @Option(
      names = "--source",
      required = true,
      paramLabel = "NAME",
      description = "Data source, as feature_store.yaml names it.")
  String name;
}
