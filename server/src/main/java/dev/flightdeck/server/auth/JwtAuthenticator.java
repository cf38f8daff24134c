package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens that are JWTs signed by a key of a JWKS file (RSA or EC): the signature, {@code
 * exp} and {@code nbf} (60 s of clock skew), and {@code iss}/{@code aud} when configured are
 * checked. The principal is the {@code sub} claim (or a configured one); roles come from a claim
 * holding a list or a space-separated string, and roles this server does not know are ignored (an
 * identity provider's tokens carry many).
 */
public final class JwtAuthenticator implements Authenticator {
  public static final String TYPE = "jwt";
  public static final String JWKS = "jwks";
  public static final String ISSUER = "issuer";
  public static final String AUDIENCE = "audience";
  public static final String PRINCIPAL_CLAIM = "principal-claim";
  public static final String ROLES_CLAIM = "roles-claim";
  public static final String DEFAULT_PRINCIPAL_CLAIM = "sub";
  public static final String DEFAULT_ROLES_CLAIM = "roles";

  private static final int MAX_REASON = 200;

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final String principalClaim;
  private final String rolesClaim;

  public JwtAuthenticator(
      JWKSet keys,
      Optional<String> issuer,
      Optional<String> audience,
      String principalClaim,
      String rolesClaim) {
    requireNonNull(keys, "keys is null");
    this.principalClaim = requireNonNull(principalClaim, "principalClaim is null");
    this.rolesClaim = requireNonNull(rolesClaim, "rolesClaim is null");
    Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
    algorithms.addAll(JWSAlgorithm.Family.EC);
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys)));
    JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
    issuer.ifPresent(exact::issuer);
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            audience.map(Set::of).orElse(null),
            exact.build(),
            Set.of("exp", principalClaim),
            null));
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    Optional<String> token = credentials.bearerToken();
    if (token.isEmpty() || token.get().chars().filter(c -> c == '.').count() != 2) {
      return Optional.empty();
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token.get());
    } catch (ParseException e) {
      return Optional.empty();
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(jwt, null);
    } catch (BadJOSEException | JOSEException e) {
      String reason = String.valueOf(e.getMessage());
      throw new FlightdeckException(
          ErrorCode.UNAUTHENTICATED,
          "the JWT was refused: "
              + (reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason));
    }
    Object name = claims.getClaim(principalClaim);
    if (!(name instanceof String principal) || principal.isBlank()) {
      throw new FlightdeckException(
          ErrorCode.UNAUTHENTICATED, "the JWT's '" + principalClaim + "' claim is not a name");
    }
    return Optional.of(new Principal(principal, roles(claims.getClaim(rolesClaim))));
  }

  private static Set<Role> roles(Object claim) {
    Collection<?> names =
        claim instanceof Collection<?> list
            ? list
            : claim instanceof String text ? List.of(text.split("\\s+")) : List.of();
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object name : names) {
      for (Role role : Role.values()) {
        if (role.yamlName().equals(String.valueOf(name))) {
          roles.add(role);
        }
      }
    }
    return roles;
  }

  /** Made by {@link java.util.ServiceLoader} for {@code --auth jwt:jwks=FILE,...}. */
  public static final class Factory implements AuthenticatorFactory {
    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Authenticator create(Map<String, String> settings) {
      Settings checked =
          Settings.check(
              TYPE, settings, Set.of(JWKS, ISSUER, AUDIENCE, PRINCIPAL_CLAIM, ROLES_CLAIM));
      Path file = Path.of(checked.required(JWKS));
      JWKSet keys;
      try {
        keys = JWKSet.load(file.toFile());
      } catch (IOException | ParseException e) {
        throw Settings.invalid(TYPE, "cannot read the JWKS file " + file + ": " + e.getMessage());
      }
      if (keys.getKeys().isEmpty()) {
        throw Settings.invalid(TYPE, "JWKS file " + file + " holds no keys");
      }
      if (keys.getKeys().stream().anyMatch(key -> key.isPrivate())) {
        // A JWKS for verifying needs public keys only; a private key here is a leak waiting.
        throw Settings.invalid(
            TYPE, "JWKS file " + file + " holds a private key; give it the public keys only");
      }
      return new JwtAuthenticator(
          keys,
          checked.optional(ISSUER),
          checked.optional(AUDIENCE),
          checked.optional(PRINCIPAL_CLAIM).orElse(DEFAULT_PRINCIPAL_CLAIM),
          checked.optional(ROLES_CLAIM).orElse(DEFAULT_ROLES_CLAIM));
    }
  }
}
