package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Bearer tokens listed by their SHA-256 in a token file ({@code serve --auth-tokens FILE}, or
 * {@code --auth tokens:file=FILE}). A token the file does not list is left to the next
 * authenticator (it may be a JWT); the token is never logged or echoed.
 */
public final class TokenFileAuthenticator implements Authenticator {
  public static final String TYPE = "tokens";
  public static final String FILE = "file";

  private final TokenFile tokens;

  public TokenFileAuthenticator(TokenFile tokens) {
    this.tokens = requireNonNull(tokens, "tokens is null");
  }

  @Override
  public Optional<Principal> authenticate(Credentials credentials) {
    return credentials.bearerToken().flatMap(tokens::principalOf);
  }

  /** Made by {@link java.util.ServiceLoader} for {@code --auth tokens:file=FILE}. */
  public static final class Factory implements AuthenticatorFactory {
    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public Authenticator create(Map<String, String> settings) {
      Settings checked = Settings.check(TYPE, settings, Set.of(FILE));
      return new TokenFileAuthenticator(TokenFile.load(Path.of(checked.required(FILE))));
    }
  }
}
