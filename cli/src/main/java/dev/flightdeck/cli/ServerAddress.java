package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import org.apache.arrow.memory.BufferAllocator;
import picocli.CommandLine.Option;

/** The {@code --host} and {@code --port} of the server a client command talks to. */
final class ServerAddress {
  static final String DEFAULT_HOST = "localhost";
  static final int DEFAULT_PORT = 8815;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Flightdeck server host (default: ${DEFAULT-VALUE}).")
  String host = DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Flightdeck server port (default: ${DEFAULT-VALUE}).")
  int port = DEFAULT_PORT;

  RemoteOfflineStore connect(BufferAllocator allocator) {
    return new RemoteOfflineStore(host, port, allocator);
  }
}
