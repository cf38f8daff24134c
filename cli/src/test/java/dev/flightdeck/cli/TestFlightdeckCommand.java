package dev.flightdeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TestFlightdeckCommand {
  @Test
  void helpOnEveryCommand() {
    for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}, {"demo", "--help"}}) {
      Run run = run(args);
      assertThat(run.exitCode).as(String.join(" ", args)).isZero();
      assertThat(run.out).contains("Usage: flightdeck");
    }
    assertThat(run("serve", "--help").out)
        .contains("--repo", "--host", "--port", "--pending-ttl", "--advertise");
  }

  @Test
  void serveOptionsBecomeTheConfig() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve)
        .parseArgs(
            "--repo",
            "r",
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--pending-ttl",
            "PT30S",
            "--stream-threads",
            "3",
            "--client-read-timeout",
            "PT1M",
            "--advertise",
            "grpc+tcp://replica-1.internal:8815");
    assertThat(serve.repo).isEqualTo(Path.of("r"));
    assertThat(serve.config())
        .isEqualTo(
            ServerConfig.defaults()
                .withHost("0.0.0.0")
                .withPort(0)
                .withPendingCommandTtl(Duration.ofSeconds(30))
                .withStreamThreads(3)
                .withClientReadTimeout(Duration.ofMinutes(1))
                .withAdvertise(Optional.of(URI.create("grpc+tcp://replica-1.internal:8815"))));
  }

  @Test
  void anAdvertiseTheServerCannotBeReachedAtIsRefusedByValue() {
    Path secure = Path.of("..", "examples", "secure");
    String[][] refused = {
      {"--advertise", "replica-1.internal:8815"},
      {"--advertise", "grpc+tcp://replica-1.internal"},
      {"--advertise", "grpc+tls://replica-1.internal:8815"},
      {
        "--advertise",
        "grpc+tcp://replica-1.internal:8815",
        "--tls-cert",
        secure.resolve("server.pem").toString(),
        "--tls-key",
        secure.resolve("server.key").toString()
      },
    };
    for (String[] options : refused) {
      List<String> args = new ArrayList<>(List.of("serve", "--repo", "r", "--port", "0"));
      args.addAll(List.of(options));
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exitCode).as(String.join(" ", options)).isEqualTo(1);
      assertThat(run.err)
          .contains("'advertise' = '" + options[1] + "'", "INVALID_CONFIGURATION")
          .doesNotContain("\tat ");
    }
    ServeCommand tls = new ServeCommand();
    new CommandLine(tls)
        .parseArgs(
            "--repo",
            "r",
            "--advertise",
            "grpc+tls://replica-1.internal:8815",
            "--tls-cert",
            secure.resolve("server.pem").toString(),
            "--tls-key",
            secure.resolve("server.key").toString());
    assertThat(tls.config().advertise()).contains(URI.create("grpc+tls://replica-1.internal:8815"));
  }

  @Test
  void badInputGivesAMessageNotAStackTrace(@TempDir Path empty) {
    Run badDuration = run("serve", "--repo", "r", "--pending-ttl", "10m");
    assertThat(badDuration.exitCode).isNotZero();
    assertThat(badDuration.err)
        .contains("'10m' is not an ISO-8601 duration")
        .doesNotContain("\tat ");

    Run noRepo = run("demo", "--repo", empty.toString());
    assertThat(noRepo.exitCode).isEqualTo(1);
    assertThat(noRepo.err).contains("no feature_store.yaml in " + empty).doesNotContain("\tat ");
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = FlightdeckCommand.commandLine();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private record Run(int exitCode, String out, String err) {}
}
