package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS for the server: its certificate chain and private key (PEM; the key in PKCS#8, {@code BEGIN
 * PRIVATE KEY}), and optionally the CA whose certificates clients must present (mutual TLS).
 */
public record TlsSettings(Path certificateChain, Path privateKey, Optional<Path> clientCa) {
  public TlsSettings {
    requireNonNull(certificateChain, "certificateChain is null");
    requireNonNull(privateKey, "privateKey is null");
    requireNonNull(clientCa, "clientCa is null");
    readable(certificateChain, "--tls-cert");
    readable(privateKey, "--tls-key");
    clientCa.ifPresent(ca -> readable(ca, "--tls-client-ca"));
  }

  public static TlsSettings of(Path certificateChain, Path privateKey) {
    return new TlsSettings(certificateChain, privateKey, Optional.empty());
  }

  /** The same, also requiring client certificates signed by {@code clientCa}. */
  public TlsSettings requiringClientCertificates(Path clientCa) {
    return new TlsSettings(certificateChain, privateKey, Optional.of(clientCa));
  }

  public boolean mutual() {
    return clientCa.isPresent();
  }

  private static void readable(Path file, String setting) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION, setting + " " + file + " is not a readable file");
    }
  }
}
