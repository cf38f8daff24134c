package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./flightdeck} launcher rebuilds a jar older than the sources instead of running stale
 * code. It runs from a home of its own, with a stand-in {@code mvn} on the PATH that records its
 * arguments and "builds" by copying the real distribution jar into place.
 */
class LauncherIT {
  private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

  @Test
  @Timeout(120)
  void aJarOlderThanTheSourcesIsRebuilt(@TempDir Path home) throws Exception {
    Path launcher = home.resolve("flightdeck");
    Files.copy(PROJECT.resolve("flightdeck"), launcher);
    executable(launcher);
    Path jar = home.resolve("cli/target/flightdeck-cli-0-all.jar");
    Files.createDirectories(jar.getParent());
    Files.writeString(jar, "a stale jar");
    Path source = home.resolve("cli/src/main/java/Changed.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, "class Changed {}");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(600)));

    Path bin = home.resolve("bin");
    Files.createDirectories(bin);
    Path calls = home.resolve("mvn-calls.txt");
    Path fakeMaven = bin.resolve("mvn");
    Files.writeString(
        fakeMaven,
        "#!/usr/bin/env bash\n"
            + "echo \"$*\" >> '"
            + calls
            + "'\n"
            + "cp '"
            + distributionJar()
            + "' '"
            + jar
            + "'\n");
    executable(fakeMaven);

    Run stale = run(launcher, bin);
    assertThat(stale.exitCode).as(stale.output).isZero();
    assertThat(stale.output)
        .contains("sources changed since flightdeck-cli-0-all.jar was built; rebuilding")
        .containsPattern("(?m)^flightdeck \\d+\\.\\d+"); // the rebuilt jar's version line
    assertThat(Files.readString(calls, UTF_8)).contains("-pl cli -am package");

    Run fresh = run(launcher, bin);
    assertThat(fresh.exitCode).as(fresh.output).isZero();
    assertThat(fresh.output).doesNotContain("rebuilding");
    assertThat(Files.readAllLines(calls, UTF_8)).hasSize(1);
  }

  private static Run run(Path launcher, Path bin) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(launcher.toString(), "--version")).redirectErrorStream(true);
    builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  private record Run(int exitCode, String output) {}

  private static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path distributionJar() throws IOException {
    Path target = PROJECT.resolve("cli/target");
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(target, "flightdeck-cli-*-all.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new AssertionError("no distribution jar in " + target + "; build with mvn verify");
  }
}
