package dev.flightdeck.server.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The bearer tokens a server accepts ({@code serve --auth-tokens FILE}), holding only each token's
 * SHA-256, never the token:
 *
 * <pre>
 * tokens:
 *   - principal: alice
 *     sha256: &lt;hex SHA-256 of the token's UTF-8 bytes&gt;
 *     roles: [read, write]
 * </pre>
 */
public final class TokenFile {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> ENTRY_KEYS = Set.of("principal", "sha256", "roles");

  private final Map<String, Principal> byDigest;
  private final Map<String, Principal> byName;

  private TokenFile(Map<String, Principal> byDigest) {
    this.byDigest = Map.copyOf(byDigest);
    Map<String, Principal> names = new HashMap<>();
    byDigest.values().forEach(principal -> names.put(principal.name(), principal));
    this.byName = Map.copyOf(names);
  }

  public static TokenFile load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      throw invalid(file, "cannot be read as YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid(file, "must be a mapping with a 'tokens' list");
    }
    Set<String> unknown = new TreeSet<>();
    root.fieldNames().forEachRemaining(unknown::add);
    unknown.remove("tokens");
    if (!unknown.isEmpty()) {
      throw invalid(file, "has unknown keys " + unknown + " (known: [tokens])");
    }
    JsonNode tokens = root.get("tokens");
    if (tokens == null || !tokens.isArray() || tokens.isEmpty()) {
      throw invalid(file, "needs a non-empty 'tokens' list");
    }
    Map<String, Principal> byDigest = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      JsonNode entry = tokens.get(i);
      String where = "tokens[" + i + "]";
      if (!entry.isObject()) {
        throw invalid(file, where + " must be a mapping");
      }
      Set<String> keys = new TreeSet<>();
      entry.fieldNames().forEachRemaining(keys::add);
      keys.removeAll(ENTRY_KEYS);
      if (!keys.isEmpty()) {
        throw invalid(
            file,
            where + " has unknown keys " + keys + " (known: " + new TreeSet<>(ENTRY_KEYS) + ")");
      }
      String principal = text(entry, "principal", file, where);
      String digest = text(entry, "sha256", file, where);
      if (!SHA256_HEX.matcher(digest).matches()) {
        throw invalid(
            file,
            where
                + " sha256 must be 64 lowercase hex digits (flightdeck hash-token makes it), not a"
                + " token");
      }
      JsonNode roles = entry.get("roles");
      if (roles == null || !roles.isArray()) {
        throw invalid(file, where + " needs 'roles', a list such as [read] or [read, write]");
      }
      Set<Role> granted = EnumSet.noneOf(Role.class);
      for (Iterator<JsonNode> it = roles.elements(); it.hasNext(); ) {
        try {
          granted.add(Role.named(it.next().asText()));
        } catch (FlightdeckException e) {
          throw invalid(file, where + ": " + e.getMessage());
        }
      }
      if (byDigest.put(digest, new Principal(principal, granted)) != null) {
        throw invalid(file, where + " repeats the sha256 of an earlier entry");
      }
    }
    return new TokenFile(byDigest);
  }

  /** The principal holding {@code token}, if the file lists its digest. */
  public Optional<Principal> principalOf(String token) {
    return Optional.ofNullable(byDigest.get(sha256Hex(token)));
  }

  public Optional<Principal> principalNamed(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The hex SHA-256 of the token's UTF-8 bytes, as the file holds it. */
  public static String sha256Hex(String token) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String text(JsonNode entry, String key, Path file, String where) {
    JsonNode value = entry.get(key);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw invalid(file, where + " needs '" + key + "'");
    }
    return value.asText();
  }

  private static FlightdeckException invalid(Path file, String problem) {
    return new FlightdeckException(
        ErrorCode.INVALID_CONFIGURATION, "token file " + file + " " + problem);
  }
}
