package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.client.TlsOptions;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.nio.file.Path;
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

  RemoteOfflineStore connect(BufferAllocator allocator) {
    if (!tls && tlsCa == null && tlsCert == null && tlsKey == null) {
      return new RemoteOfflineStore(host, port, allocator);
    }
    TlsOptions options = tlsCa == null ? TlsOptions.systemTrust() : TlsOptions.trusting(tlsCa);
    if (tlsCert != null || tlsKey != null) {
      if (tlsCert == null || tlsKey == null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "a client certificate needs both --tls-cert and --tls-key");
      }
      options = options.withClientCertificate(tlsCert, tlsKey);
    }
    return new RemoteOfflineStore(host, port, options, allocator);
  }
}
