package dev.flightdeck.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM of its own running a main class from the bench's class path, with Arrow's flag and a heap
 * of its own; its output goes to a log file (a destroyed process's pipe could not be read).
 */
final class ChildJvm implements AutoCloseable {
  static final String ARROW_FLAG = "--add-opens=java.base/java.nio=ALL-UNNAMED";

  /** The environment variable whose options are added to every JVM the bench starts. */
  static final String SERVER_OPTS = "FLIGHTDECK_BENCH_SERVER_JAVA_OPTS";

  private final String name;
  private final Process process;
  private final Path log;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Whether Linux offers transparent huge pages here: the servers then run as the {@code
   * flightdeck} launcher starts them, with 2 MiB pages for the heap and for malloc'd (Arrow)
   * memory.
   */
  static boolean transparentHugePages() {
    try {
      return Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"))
          .matches("(?s).*\\[(always|madvise)\\].*");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Starts {@code mainClass} with {@code args}; {@code heap} is an -Xmx value such as 4g. */
  static ChildJvm start(String name, String heap, Path log, String mainClass, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(ARROW_FLAG);
    // The whole heap from the start, as servers are run: grown in steps instead, G1 marks again
    // and again (on the second core) while a cold view's large arrays are allocated.
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    command.add("-Duser.timezone=UTC");
    boolean hugePages = transparentHugePages();
    if (hugePages) {
      command.add("-XX:+UseTransparentHugePages");
    }
    // Options of the caller's own, e.g. a flight recording of the servers to profile them.
    String extra = System.getenv().getOrDefault(SERVER_OPTS, "").strip();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    if (hugePages) {
      builder.environment().putIfAbsent("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1");
    }
    Process process = builder.start();
    return new ChildJvm(name, process, log);
  }

  /**
   * Waits until the log has a line matching {@code pattern} and returns its first group; fails with
   * the log if the process ends or the time runs out first.
   */
  String await(Pattern pattern, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher matcher = pattern.matcher(output());
      if (matcher.find()) {
        return matcher.group(1);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " was not ready within " + timeout + " (" + log + "):\n" + tail());
      }
      Thread.sleep(20);
    }
  }

  String output() throws IOException {
    return Files.readString(log, UTF_8);
  }

  /** The last lines of the log, for error messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log, UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log " + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  /** SIGTERM, then a kill if it has not stopped within 30 seconds. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
