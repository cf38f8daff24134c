package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ./flightdeck} command shown in README.md and examples/README.md, run as a user runs
 * it: through the launcher script, from a folder holding a copy of {@code examples/}. Client
 * commands talk to the server the page last started ({@code serve}), or to one serving {@code
 * examples/driver_repo} as the README's prose asks; each gets {@code --port} of that server. Only
 * synopses ({@code path/to/repo}, {@code [...]}) are not run. A demo must leave the files it serves
 * as they were.
 */
class DocumentedCommandsIT {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
  private static final String LAUNCHER = "./flightdeck";

  @TempDir Path work;

  @Test
  @Timeout(300)
  void readmeCommandsWork() throws Exception {
    runPage(PROJECT.resolve("README.md"));
  }

  @Test
  @Timeout(300)
  void examplesReadmeCommandsWork() throws Exception {
    runPage(PROJECT.resolve("examples/README.md"));
  }

  /** The commands of one page, in order, with one server at a time. */
  private void runPage(Path page) throws Exception {
    List<List<String>> commands = commands(Files.readString(page, UTF_8));
    assertThat(commands).as("commands found in " + page).isNotEmpty();
    ExampleRepository.copy(PROJECT.resolve("examples"), work.resolve("examples"));
    Server server = Server.start(work, List.of("serve", "--repo", "examples/driver_repo"));
    try {
      for (List<String> command : commands) {
        String subcommand = command.get(1);
        if (subcommand.equals("serve")) {
          server.stop();
          server = Server.start(work, command.subList(1, command.size()));
        } else if (subcommand.equals("demo")) {
          Map<String, String> before = digests(work.resolve("examples"));
          run(command);
          assertThat(digests(work.resolve("examples")))
              .as("files after " + String.join(" ", command))
              .isEqualTo(before);
        } else {
          List<String> pointed = new ArrayList<>(command);
          pointed.addAll(List.of("--port", String.valueOf(server.port)));
          run(pointed);
        }
      }
    } finally {
      server.stop();
    }
  }

  /** The {@code ./flightdeck} lines of the page's bash blocks, continuations joined. */
  static List<List<String>> commands(String markdown) {
    List<List<String>> commands = new ArrayList<>();
    boolean inBash = false;
    StringBuilder line = new StringBuilder();
    for (String raw : markdown.split("\n")) {
      if (raw.startsWith("```")) {
        inBash = !inBash && raw.equals("```bash");
        continue;
      }
      if (!inBash) {
        continue;
      }
      String text = raw.contains(" #") ? raw.substring(0, raw.indexOf(" #")) : raw;
      text = text.strip();
      boolean continues = text.endsWith("\\");
      line.append(continues ? text.substring(0, text.length() - 1) : text).append(' ');
      if (continues) {
        continue;
      }
      String command = line.toString().strip();
      line.setLength(0);
      if (command.startsWith(LAUNCHER + " ")
          && !command.contains("path/to/")
          && !command.contains("[")) {
        commands.add(List.of(command.split("\\s+")));
      }
    }
    return commands;
  }

  private void run(List<String> command) throws Exception {
    Path log = Files.createTempFile(work, "command", ".log");
    List<String> launched = new ArrayList<>(command);
    launched.set(0, PROJECT.resolve("flightdeck").toString());
    Process process =
        new ProcessBuilder(launched)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished: " + command).isTrue();
    String output = Files.readString(log, UTF_8);
    assertThat(process.exitValue()).as(String.join(" ", command) + " printed:\n" + output).isZero();
    int out = command.indexOf("--out");
    if (out >= 0 && !command.get(out + 1).equals("-")) {
      assertThat(work.resolve(command.get(out + 1))).isNotEmptyFile();
    }
  }

  private static Map<String, String> digests(Path folder) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        digests.put(folder.relativize(file).toString(), HexFormat.of().formatHex(digest));
      }
    }
    return digests;
  }

  /** {@code ./flightdeck serve} as a process on a free port. */
  private static final class Server {
    private final Process process;
    private final int port;

    private Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    /** {@code serve} with the page's own flags (TLS, tokens), on a free port. */
    static Server start(Path work, List<String> serve) throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path log = Files.createTempFile(work, "server", ".log");
      List<String> command = new ArrayList<>();
      command.add(PROJECT.resolve("flightdeck").toString());
      command.addAll(serve);
      command.addAll(List.of("--port", String.valueOf(port)));
      Process process =
          new ProcessBuilder(command)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.readString(log, UTF_8).contains("Flightdeck serving")) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new AssertionError(
              String.join(" ", serve) + " did not start:\n" + Files.readString(log, UTF_8));
        }
        Thread.sleep(50);
      }
      return new Server(process, port);
    }

    void stop() throws IOException, InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
