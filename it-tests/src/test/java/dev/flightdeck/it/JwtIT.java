package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.flightdeck.client.ClientOptions;
import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.auth.AuthenticatorConfig;
import dev.flightdeck.server.auth.JwtAuthenticator;
import dev.flightdeck.server.auth.TokenFile;
import dev.flightdeck.server.auth.TokenFileAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JWTs verified against a JWKS file, with keys made here: a good token's subject and roles are
 * used; an expired, not-yet-valid, foreign-issuer, foreign-audience, forged or unsigned token is
 * UNAUTHENTICATED without echoing it; token-file tokens work beside JWTs; health needs nothing.
 */
class JwtIT {
  private static final String ISSUER = "https://idp.example.test";
  private static final String AUDIENCE = "flightdeck";
  private static final String OPERATOR_TOKEN = "operator-0123456789abcdef";

  @TempDir static Path work;
  private static RSAKey signingKey;
  private static RSAKey foreignKey;
  private static BufferAllocator allocator;
  private static FlightdeckServer server;

  @BeforeAll
  static void startServer() throws Exception {
    signingKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    // Same key id, other key: a forger who knows the kid but not the key.
    foreignKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    Path jwks = work.resolve("jwks.json");
    Files.writeString(jwks, new JWKSet(signingKey.toPublicJWK()).toString(), UTF_8);
    Path tokens = work.resolve("tokens.yaml");
    Files.writeString(
        tokens,
        "tokens:\n  - {principal: operator, sha256: "
            + TokenFile.sha256Hex(OPERATOR_TOKEN)
            + ", roles: [read]}\n",
        UTF_8);
    Path repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    allocator = new RootAllocator();
    server =
        FlightdeckServer.forRepository(
                repository,
                allocator,
                ServerConfig.defaults()
                    .withPort(0)
                    .withAuthenticators(
                        List.of(
                            new AuthenticatorConfig(
                                TokenFileAuthenticator.TYPE,
                                Map.of(TokenFileAuthenticator.FILE, tokens.toString())),
                            new AuthenticatorConfig(
                                JwtAuthenticator.TYPE,
                                Map.of(
                                    JwtAuthenticator.JWKS, jwks.toString(),
                                    JwtAuthenticator.ISSUER, ISSUER,
                                    JwtAuthenticator.AUDIENCE, AUDIENCE)))))
            .start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
    allocator.close();
  }

  private BufferAllocator callAllocator;

  @BeforeEach
  void openAllocator() {
    callAllocator = allocator.newChildAllocator("call", 0, Long.MAX_VALUE);
  }

  @AfterEach
  void closeAllocator() {
    callAllocator.close();
  }

  @Test
  void aGoodTokensSubjectAndRolesAreUsed() throws Exception {
    String reader = token(signingKey, claims -> claims.claim("roles", "read offline-admin"));
    try (RemoteOfflineStore client = client(reader);
        VectorSchemaRoot row =
            TestTable.with(callAllocator)
                .int64("driver_id")
                .timestamp("event_timestamp")
                .timestamp("created")
                .float32("conv_rate")
                .float32("acc_rate")
                .int64("trips")
                .row(1001L, at("2024-01-01T10:20:00Z"), at("2024-01-01T10:20:00Z"), 1f, 1f, 9L)
                .build()) {
      assertThat(ExampleRepository.tripsOfDriver1001(client, callAllocator)).isEqualTo(601L);
      assertFails(
          () -> client.offlineWriteBatch("driver_hourly_stats", row),
          ErrorCode.PERMISSION_DENIED,
          "principal 'alice' may not offline_write_batch: that needs role 'write', and it holds"
              + " [read]");
    }
  }

  @Test
  void everyBadTokenIsUnauthenticatedAndNotEchoed() throws Exception {
    Instant now = Instant.now();
    Map<String, String> bad =
        Map.of(
            "expired",
            token(signingKey, claims -> claims.expirationTime(Date.from(now.minusSeconds(600)))),
            "not yet valid",
            token(signingKey, claims -> claims.notBeforeTime(Date.from(now.plusSeconds(600)))),
            "foreign issuer",
            token(signingKey, claims -> claims.issuer("https://evil.example.test")),
            "foreign audience",
            token(signingKey, claims -> claims.audience("someone-else")),
            "forged signature",
            token(foreignKey, claims -> {}),
            "no expiry",
            token(signingKey, claims -> claims.expirationTime(null)),
            "unsigned (alg none)",
            new PlainJWT(claims(claims -> {}).build()).serialize());
    bad.forEach(
        (what, token) -> {
          try (RemoteOfflineStore client = client(token)) {
            assertThatThrownBy(client::describe)
                .as(what)
                .isInstanceOfSatisfying(
                    FlightdeckException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED))
                .hasMessageNotContaining(token);
          } catch (Exception e) {
            throw new AssertionError(what, e);
          }
        });
    try (RemoteOfflineStore good = client(token(signingKey, claims -> {}))) {
      assertThat(ExampleRepository.tripsOfDriver1001(good, callAllocator)).isEqualTo(601L);
    }
  }

  @Test
  void tokenFileTokensWorkBesideJwts() throws Exception {
    try (RemoteOfflineStore operator = client(OPERATOR_TOKEN)) {
      assertThat(operator.describe().project()).isEqualTo("driver_demo");
    }
  }

  @Test
  void healthNeedsNoCredentialButEveryOtherCallDoes() throws Exception {
    try (FlightClient anonymous =
        FlightClient.builder(callAllocator, Location.forGrpcInsecure("localhost", server.port()))
            .build()) {
      List<Result> answer = new ArrayList<>();
      anonymous.doAction(new Action("health")).forEachRemaining(answer::add);
      assertThat(new String(answer.get(0).getBody(), UTF_8)).contains("\"serving\"");
      assertThatThrownBy(
              () -> anonymous.doAction(new Action("describe")).forEachRemaining(result -> {}))
          .hasMessageContaining("needs a credential");
    }
  }

  private RemoteOfflineStore client(String token) {
    return new RemoteOfflineStore(
        "localhost", server.port(), ClientOptions.defaults().withBearerToken(token), callAllocator);
  }

  private static String token(RSAKey key, Consumer<JWTClaimsSet.Builder> change) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims(change).build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JWTClaimsSet.Builder claims(Consumer<JWTClaimsSet.Builder> change) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .subject("alice")
            .issuer(ISSUER)
            .audience(AUDIENCE)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
            .claim("roles", List.of("read", "write"));
    change.accept(claims);
    return claims;
  }

  private static void assertFails(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
        .hasMessageContaining(message);
  }
}
