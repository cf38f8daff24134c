package dev.flightdeck.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the tests that run {@code flightdeck serve} as a process of its own need. */
final class ServerProcesses {
  private ServerProcesses() {}

  /** The shaded distribution jar the cli module builds in {@code package}. */
  static Path shadedJar() throws IOException {
    Path target = Path.of("..", "cli", "target").toAbsolutePath().normalize();
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(target, "flightdeck-cli-*-all.jar")) {
      for (Path jar : jars) {
        return jar;
      }
    }
    throw new AssertionError("no shaded distribution jar in " + target + "; build with mvn verify");
  }

  /** A port free now, for a server process told to listen on it. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
