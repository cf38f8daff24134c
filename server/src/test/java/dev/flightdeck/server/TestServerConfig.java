package dev.flightdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
                "client-read-timeout", "PT1M"));
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
                Limits.defaults()));
    assertThat(ServerConfig.KEYS).hasSize(5);
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
}
