package dev.flightdeck.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.client.ClientOptions;
import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.client.TlsOptions;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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

  @Option(
      names = "--tls",
      description = "Connect over TLS (grpc+tls), trusting the JVM's certificate authorities.")
  boolean tls;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description = "Connect over TLS, trusting the CA certificates in FILE (PEM).")
  Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = "Present this client certificate (PEM) to a server that requires one (mTLS).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Send the bearer token in FILE (its first line) to a server that requires one; the"
              + " FLIGHTDECK_TOKEN environment variable works too. Never on the command line.")
  Path tokenFile;

  RemoteOfflineStore connect(BufferAllocator allocator) {
    ClientOptions options = ClientOptions.defaults();
    if (tls || tlsCa != null || tlsCert != null || tlsKey != null) {
      TlsOptions tlsOptions = tlsCa == null ? TlsOptions.systemTrust() : TlsOptions.trusting(tlsCa);
      if (tlsCert != null || tlsKey != null) {
        if (tlsCert == null || tlsKey == null) {
          throw new FlightdeckException(
              ErrorCode.INVALID_PARAMETER,
              "a client certificate needs both --tls-cert and --tls-key");
        }
        tlsOptions = tlsOptions.withClientCertificate(tlsCert, tlsKey);
      }
      options = options.withTls(tlsOptions);
    }
    Optional<String> token = token();
    if (token.isPresent()) {
      options = options.withBearerToken(token.get());
    }
    return new RemoteOfflineStore(host, port, options, allocator);
  }

  private Optional<String> token() {
    if (tokenFile != null) {
      try {
        return Files.readAllLines(tokenFile, UTF_8).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty())
            .findFirst()
            .or(
                () -> {
                  throw new FlightdeckException(
                      ErrorCode.INVALID_PARAMETER, "--token-file " + tokenFile + " is empty");
                });
      } catch (IOException e) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "--token-file " + tokenFile + " cannot be read: " + e.getMessage(),
            e);
      }
    }
    String fromEnvironment = System.getenv("FLIGHTDECK_TOKEN");
    return fromEnvironment == null || fromEnvironment.isBlank()
        ? Optional.empty()
        : Optional.of(fromEnvironment.strip());
  }
}
