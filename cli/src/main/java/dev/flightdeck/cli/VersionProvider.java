package dev.flightdeck.cli;

import picocli.CommandLine;

/** The version from the jar's manifest; "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = FlightdeckCommand.class.getPackage().getImplementationVersion();
    return new String[] {"flightdeck " + (version == null ? "development" : version)};
  }
}
