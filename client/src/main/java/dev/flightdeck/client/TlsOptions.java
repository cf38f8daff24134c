package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.arrow.flight.FlightClient;

/**
 * How the client speaks TLS: which CA to trust (the JVM's default trust store when empty) and, for
 * a server that requires client certificates, the client's certificate chain and PKCS#8 key (PEM).
 */
public record TlsOptions(
    Optional<Path> trustedCertificates,
    Optional<Path> clientCertificate,
    Optional<Path> clientKey) {
  public TlsOptions {
    requireNonNull(trustedCertificates, "trustedCertificates is null");
    requireNonNull(clientCertificate, "clientCertificate is null");
    requireNonNull(clientKey, "clientKey is null");
    if (clientCertificate.isPresent() != clientKey.isPresent()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "a client certificate needs its key and a key its certificate (--tls-cert with"
              + " --tls-key)");
    }
  }

  /** TLS trusting the JVM's default certificate authorities. */
  public static TlsOptions systemTrust() {
    return new TlsOptions(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** TLS trusting the CA certificates in {@code caPem}. */
  public static TlsOptions trusting(Path caPem) {
    return new TlsOptions(Optional.of(caPem), Optional.empty(), Optional.empty());
  }

  /** The same, presenting a client certificate (mutual TLS). */
  public TlsOptions withClientCertificate(Path certificatePem, Path keyPem) {
    return new TlsOptions(trustedCertificates, Optional.of(certificatePem), Optional.of(keyPem));
  }

  void applyTo(FlightClient.Builder builder) {
    builder.useTls();
    if (trustedCertificates.isPresent()) {
      builder.trustedCertificates(read(trustedCertificates.get(), "--tls-ca"));
    }
    if (clientCertificate.isPresent()) {
      builder.clientCertificate(
          read(clientCertificate.get(), "--tls-cert"), read(clientKey.get(), "--tls-key"));
    }
  }

  private static ByteArrayInputStream read(Path file, String setting) {
    try {
      return new ByteArrayInputStream(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          setting + " " + file + " cannot be read: " + e.getMessage(),
          e);
    }
  }
}
