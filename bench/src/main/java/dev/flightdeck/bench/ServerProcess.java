package dev.flightdeck.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code flightdeck serve} on a free port in its own JVM, as users run it; the bench's client talks
 * to it over loopback.
 */
final class ServerProcess implements AutoCloseable {
  private static final String MAIN_CLASS = "dev.flightdeck.cli.FlightdeckCommand";
  private static final Pattern SERVING =
      Pattern.compile("Flightdeck serving .* at (grpc\\+tcp://\\S+)");

  private final ChildJvm jvm;
  private final URI location;

  private ServerProcess(ChildJvm jvm, URI location) {
    this.jvm = jvm;
    this.location = location;
  }

  static ServerProcess serve(Path repository, String heap, Path log)
      throws IOException, InterruptedException {
    ChildJvm jvm =
        ChildJvm.start(
            "flightdeck serve " + repository.getFileName(),
            heap,
            log,
            MAIN_CLASS,
            List.of(
                "serve",
                "--repo",
                repository.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                // The bench's 64 clients are one principal, the anonymous one.
                "--max-streams-per-principal",
                "1024",
                "--max-puts-per-principal",
                "1024",
                "--max-commands-per-principal",
                "4096"));
    try {
      return new ServerProcess(jvm, URI.create(jvm.await(SERVING, Duration.ofMinutes(2))));
    } catch (IOException | RuntimeException | InterruptedException e) {
      jvm.close();
      throw e;
    }
  }

  String host() {
    return location.getHost();
  }

  int port() {
    return location.getPort();
  }

  String tail() {
    return jvm.tail();
  }

  @Override
  public void close() throws InterruptedException {
    jvm.close();
  }
}
