package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.cli.FlightdeckCommand;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The {@code flightdeck} command run in this JVM, with its exit code and output. */
record CliRun(int exitCode, String out, String err) {
  static CliRun of(String... args) {
    return withStdin(null, args);
  }

  /** Runs with {@code stdin} (null: the JVM's) as standard input. */
  static CliRun withStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = FlightdeckCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    InputStream original = System.in;
    if (stdin != null) {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(UTF_8)));
    }
    try {
      int exitCode = commandLine.execute(args);
      return new CliRun(exitCode, out.toString(), err.toString());
    } finally {
      System.setIn(original);
    }
  }
}
