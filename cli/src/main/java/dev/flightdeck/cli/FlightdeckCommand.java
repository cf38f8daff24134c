package dev.flightdeck.cli;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flightdeck} launcher: the main class of the server distribution. */
@Command(
    name = "flightdeck",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Serves a feature store's offline API over Apache Arrow Flight.",
    subcommands = {
      ServeCommand.class,
      DemoCommand.class,
      GetHistoricalFeaturesCommand.class,
      PullCommand.Latest.class,
      PullCommand.All.class,
      WriteBatchCommand.class,
      WriteLogsCommand.class,
      ValidateSourceCommand.class,
      ColumnsCommand.class,
      DescribeCommand.class,
      HashTokenCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FlightdeckCommand implements Runnable {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (!ByteBuffer.class.getModule().isOpen("java.nio", FlightdeckCommand.class.getModule())) {
      // Arrow would fail later with a long stack trace; say what is missing, once.
      System.err.println(
          "flightdeck: Java must run with --add-opens=java.base/java.nio=ALL-UNNAMED (Arrow needs"
              + " it); ./flightdeck and java -jar pass it, java -cp needs the flag");
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with its error handling, for main and for tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new FlightdeckCommand());
    commandLine.setExecutionExceptionHandler(FlightdeckCommand::reportError);
    return commandLine;
  }

  @Override
  public void run() {
    // No subcommand given: picocli prints the message and the usage.
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required (see --help)");
  }

  /** Users get one clear line, not a stack trace; FLIGHTDECK_DEBUG=1 shows the trace. */
  private static int reportError(
      Exception error, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    String message =
        error instanceof FlightdeckException flightdeck
            ? flightdeck.getMessage() + " [" + flightdeck.code() + "]"
            : error.getClass().getSimpleName() + ": " + error.getMessage();
    err.println(
        commandLine
            .getColorScheme()
            .errorText("flightdeck " + commandLine.getCommandName() + ": " + message));
    if (error instanceof FlightdeckException flightdeck
        && flightdeck.code() == ErrorCode.SERVER_UNAVAILABLE) {
      err.println(
          "  start one with: flightdeck serve --repo DIR   (or name another with --host/--port;"
              + " --tls or --tls-ca for a TLS server)");
    }
    if (System.getenv("FLIGHTDECK_DEBUG") != null) {
      error.printStackTrace(err);
    }
    err.flush();
    return 1;
  }
}
