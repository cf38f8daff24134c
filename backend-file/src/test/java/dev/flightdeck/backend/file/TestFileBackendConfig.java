package dev.flightdeck.backend.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestFileBackendConfig {
  @Test
  void defaults() {
    assertThat(FileBackendConfig.from(Map.of())).isEqualTo(FileBackendConfig.defaults());
    assertThat(FileBackendConfig.defaults().batchSize()).isEqualTo(65536);
  }

  @Test
  void batchSize() {
    assertThat(FileBackendConfig.from(Map.of("batch_size", "1000")).batchSize()).isEqualTo(1000);
  }

  @Test
  void batchSizeMustBePositiveInteger() {
    assertRefused(Map.of("batch_size", "0"), "batch_size");
    assertRefused(Map.of("batch_size", "-5"), "batch_size");
    assertRefused(Map.of("batch_size", "lots"), "lots");
  }

  @Test
  void cacheSizeTakesBytesOrBinaryUnitsAndZeroTurnsItOff() {
    assertThat(FileBackendConfig.defaults().cacheSize()).isEqualTo(512L << 20);
    assertThat(FileBackendConfig.from(Map.of("cache_size", "2GiB")).cacheSize())
        .isEqualTo(2L << 30);
    assertThat(FileBackendConfig.from(Map.of("cache_size", "64 KiB")).cacheSize())
        .isEqualTo(64L << 10);
    assertThat(FileBackendConfig.from(Map.of("cache_size", "0")).cacheSize()).isZero();
    assertRefused(Map.of("cache_size", "lots"), "'lots'");
    assertRefused(Map.of("cache_size", "-1"), "cache_size");
    assertRefused(Map.of("cache_size", "99999999999GiB"), "too large");
  }

  @Test
  void unknownKeysAreRefusedWithTheKnownOnesListed() {
    assertThatThrownBy(() -> FileBackendConfig.from(Map.of("batchsize", "10", "path", "x")))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("batchsize, path")
        .hasMessageContaining("known: batch_size");
  }

  private static void assertRefused(Map<String, String> properties, String named) {
    assertThatThrownBy(() -> FileBackendConfig.from(properties))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining(named);
  }
}
