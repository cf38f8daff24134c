package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Over mutual TLS, the client certificate's subject (RFC 2253, e.g. {@code CN=trainer,O=ML}) is the
 * principal. TLS has already verified the chain against {@code --tls-client-ca}; every such
 * principal holds the configured roles ({@code --tls-client-roles}). A call that also sends an
 * {@code authorization} header is judged by that header alone, so a bad token is never excused by a
 * good certificate.
 */
public final class ClientCertificateAuthenticator implements Authenticator {
  public static final String TYPE = "mtls";
  public static final String ROLES = "roles";
  public static final String DEFAULT_ROLES = "read+write";

  private final Set<Role> roles;

  public ClientCertificateAuthenticator(Set<Role> roles) {
    this.roles = Set.copyOf(requireNonNull(roles, "roles is null"));
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    if (credentials.peerCertificates().isEmpty()
        || credentials.header("authorization").isPresent()) {
      return Optional.empty();
    }
    X509Certificate leaf = credentials.peerCertificates().get(0);
    return Optional.of(
        new Principal(leaf.getSubjectX500Principal().getName(X500Principal.RFC2253), roles));
  }

  /** Made by {@link java.util.ServiceLoader} for {@code --auth mtls:roles=read+write}. */
  public static final class Factory implements AuthenticatorFactory {
    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Authenticator create(Map<String, String> settings) {
      return new ClientCertificateAuthenticator(
          Settings.check(TYPE, settings, Set.of(ROLES)).roles(ROLES, DEFAULT_ROLES));
    }
  }
}
