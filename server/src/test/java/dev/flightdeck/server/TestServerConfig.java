package dev.flightdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestServerConfig {
  @Test
  void defaults() {
    ServerConfig config = ServerConfig.fromProperties(Map.of());
    assertThat(config).isEqualTo(ServerConfig.defaults());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8815);
    assertThat(config.pendingCommandTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.streamThreads()).isEqualTo(8);
    assertThat(config.clientReadTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.advertise()).isEmpty();
  }

  @Test
  void everyKey() {
    ServerConfig config =
        ServerConfig.fromProperties(
            Map.of(
                "host", "0.0.0.0",
                "port", "0",
                "pending-ttl", "PT30S",
                "stream-threads", "3",
                "client-read-timeout", "PT1M",
                "advertise", "grpc+tcp://replica-1.internal:8815"));
    assertThat(config)
        .isEqualTo(
            new ServerConfig(
                "0.0.0.0",
                0,
                Duration.ofSeconds(30),
                3,
                Duration.ofMinutes(1),
                ServerConfig.DEFAULT_PUT_IDLE_TIMEOUT,
                ServerConfig.DEFAULT_SHUTDOWN_GRACE,
                Optional.empty(),
                List.of(),
                Limits.defaults(),
                Optional.of(URI.create("grpc+tcp://replica-1.internal:8815"))));
    assertThat(ServerConfig.KEYS).hasSize(6);
  }

  @Test
  void unknownKeysAreNamed() {
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("prot", "1", "host", "x")))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining("[prot]")
        .extracting(e -> ((FlightdeckException) e).code())
        .isEqualTo(ErrorCode.INVALID_CONFIGURATION);
  }

  @Test
  void invalidValuesAreNamed() {
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("port", "70000")))
        .hasMessageContaining("'port' = '70000'");
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("port", "x")))
        .hasMessageContaining("not an integer");
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("pending-ttl", "10m")))
        .hasMessageContaining("'pending-ttl' = '10m'");
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("pending-ttl", "PT0S")))
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("stream-threads", "0")))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("host", " ")))
        .hasMessageContaining("'host'");
    assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("client-read-timeout", "-PT1S")))
        .hasMessageContaining("positive");
  }

  @Test
  void advertiseIsAFlightLocationOfThisServer() {
    for (String location :
        List.of(
            "grpc://10.0.0.7:8815", "grpc+tcp://replica-1.internal:8815", "grpc+tcp://[::1]:1")) {
      assertThat(ServerConfig.fromProperties(Map.of("advertise", location)).advertise())
          .contains(URI.create(location));
    }
    Map<String, String> refusals =
        Map.of(
            "replica-1.internal:8815", "must be grpc+tcp://HOST:PORT",
            "http://replica-1.internal:8815", "must be grpc+tcp://HOST:PORT",
            "grpc+tcp://replica-1.internal", "needs a host and a port",
            "grpc+tcp://:8815", "needs a host and a port",
            "grpc+tcp://replica-1.internal:8815/flight", "must be only grpc+tcp://HOST:PORT",
            "grpc+tcp://replica 1:8815", "is not a URI",
            "grpc+tls://replica-1.internal:8815",
                "is grpc+tls, but this server serves plain gRPC (no --tls-cert): advertise"
                    + " grpc+tcp://replica-1.internal:8815");
    refusals.forEach(
        (location, problem) ->
            assertThatThrownBy(() -> ServerConfig.fromProperties(Map.of("advertise", location)))
                .as(location)
                .isInstanceOfSatisfying(
                    FlightdeckException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("'advertise' = '" + location + "'")
                .hasMessageContaining(problem));
  }

  @Test
  void advertiseSpeaksTheServersTls(@TempDir Path dir) throws IOException {
    Path certificate = Files.writeString(dir.resolve("server.pem"), "certificate");
    Path key = Files.writeString(dir.resolve("server.key"), "key");
    ServerConfig tls =
        ServerConfig.defaults().withTls(Optional.of(TlsSettings.of(certificate, key)));
    URI advertised = URI.create("grpc+tls://replica-1.internal:8815");
    assertThat(tls.withAdvertise(Optional.of(advertised)).advertise()).contains(advertised);
    assertThatThrownBy(
            () -> tls.withAdvertise(Optional.of(URI.create("grpc+tcp://replica-1.internal:8815"))))
        .hasMessageContaining("'advertise' = 'grpc+tcp://replica-1.internal:8815'")
        .hasMessageContaining(
            "is plain gRPC, but this server serves TLS: advertise"
                + " grpc+tls://replica-1.internal:8815");
    // Turning TLS off under a grpc+tls advertise is the same mistake, caught the same way.
    assertThatThrownBy(() -> tls.withAdvertise(Optional.of(advertised)).withTls(Optional.empty()))
        .hasMessageContaining("is grpc+tls, but this server serves plain gRPC");
  }
}
