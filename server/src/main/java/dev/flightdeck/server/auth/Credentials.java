package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a call presents to prove who makes it: its request headers (names in lower case, as gRPC
 * sends them) and, over mutual TLS, the client's verified certificate chain (leaf first).
 */
public record Credentials(Map<String, String> headers, List<X509Certificate> peerCertificates) {
  private static final String AUTHORIZATION = "authorization";
  private static final String BEARER = "bearer ";

  public Credentials {
    headers = Map.copyOf(headers);
    peerCertificates = List.copyOf(peerCertificates);
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(
        headers.get(requireNonNull(name, "name is null").toLowerCase(Locale.ROOT)));
  }

  /** The token of {@code authorization: Bearer <token>}, the header Feast's client sends. */
  public Optional<String> bearerToken() {
    return header(AUTHORIZATION)
        .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
        .map(value -> value.substring(BEARER.length()).strip());
  }

  /** True when the call sent any credential at all: an authorization header or a certificate. */
  public boolean present() {
    return headers.containsKey(AUTHORIZATION) || !peerCertificates.isEmpty();
  }
}
