package dev.flightdeck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.server.auth.TokenFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code flightdeck hash-token}: the sha256 a token file holds for a token read from stdin. */
@Command(
    name = "hash-token",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a token from stdin (its first line) and prints the hex SHA-256 that a token file"
          + " (serve --auth-tokens) holds for it, so the file never holds the token itself.",
      "Example: openssl rand -hex 32 | tee alice.token | flightdeck hash-token"
    })
final class HashTokenCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    String line = new BufferedReader(new InputStreamReader(System.in, UTF_8)).readLine();
    if (line == null || line.strip().isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER, "hash-token reads a token on stdin, and got none");
    }
    spec.commandLine().getOut().println(TokenFile.sha256Hex(line.strip()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
