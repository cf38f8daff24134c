package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The authenticators a server runs, tried in order; the first that recognises a credential decides.
 * With none configured every caller is {@link Principal#ANONYMOUS}.
 */
public final class Authenticators {
  private final List<Authenticator> chain;

  public Authenticators(List<Authenticator> chain) {
    this.chain = List.copyOf(requireNonNull(chain, "chain is null"));
  }

  public static Authenticators none() {
    return new Authenticators(List.of());
  }

  /** The configured authenticators, their factories found with {@link ServiceLoader}. */
  public static Authenticators load(List<AuthenticatorConfig> configs, ClassLoader classLoader) {
    Map<String, AuthenticatorFactory> factories = new TreeMap<>();
    ServiceLoader.load(AuthenticatorFactory.class, classLoader)
        .forEach(factory -> factories.putIfAbsent(factory.type(), factory));
    List<Authenticator> chain = new ArrayList<>();
    for (AuthenticatorConfig config : configs) {
      AuthenticatorFactory factory = factories.get(config.type());
      if (factory == null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_CONFIGURATION,
            "no authenticator of type '"
                + config.type()
                + "' on the class path (known: "
                + factories.keySet()
                + ")");
      }
      chain.add(factory.create(config.settings()));
    }
    return new Authenticators(chain);
  }

  /** Whether calls must prove who they are. */
  public boolean required() {
    return !chain.isEmpty();
  }

  /**
   * Who {@code credentials} prove, or {@code UNAUTHENTICATED} with a reason that never holds the
   * credential.
   */
  public Principal authenticate(Credentials credentials) {
    if (chain.isEmpty()) {
      return Principal.ANONYMOUS;
    }
    for (Authenticator authenticator : chain) {
      var principal = authenticator.authenticate(credentials);
      if (principal.isPresent()) {
        return principal.get();
      }
    }
    if (!credentials.present()) {
      throw unauthenticated(
          "this server needs a credential: send 'authorization: Bearer <token>'"
              + " (or a client certificate where the server asks for one)");
    }
    if (credentials.header("authorization").isPresent() && credentials.bearerToken().isEmpty()) {
      throw unauthenticated("the authorization header must be 'Bearer <token>'");
    }
    throw unauthenticated("the credential is not one this server accepts");
  }

  private static FlightdeckException unauthenticated(String message) {
    return new FlightdeckException(ErrorCode.UNAUTHENTICATED, message);
  }
}
