package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestJdbcBackendConfig {
  @Test
  void secretsComeFromTheEnvironmentAndAreNeverPrinted() {
    JdbcBackendConfig config =
        JdbcBackendConfig.from(
            Map.of(
                "url",
                "jdbc:postgresql://${DB_HOST}/features",
                "user",
                "app",
                "password",
                "${DB_PASSWORD}",
                "pool_size",
                "2",
                "statement_timeout",
                "30"),
            name -> Map.of("DB_HOST", "db.internal", "DB_PASSWORD", "s3cret").get(name));

    assertThat(config.url()).isEqualTo("jdbc:postgresql://db.internal/features");
    assertThat(config.password()).contains("s3cret");
    assertThat(config.poolSize()).isEqualTo(2);
    assertThat(config.statementTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.toString()).doesNotContain("s3cret");
  }

  @Test
  void problemsAreNamed() {
    assertRefused(Map.of(), "offline_store.url is required");
    assertRefused(
        Map.of("url", "jdbc:h2:mem:x", "pool", "2"),
        "unknown offline_store keys for type 'jdbc': pool");
    assertRefused(
        Map.of("url", "jdbc:h2:mem:x", "fetch_size", "many"),
        "fetch_size must be an integer, not 'many'");
    assertRefused(Map.of("url", "jdbc:h2:mem:x", "pool_size", "0"), "pool_size must be > 0, not 0");
    assertRefused(Map.of("url", "${NOPE}"), "environment variable NOPE, which is not set");
  }

  @Test
  void dialectsFollowTheUrl() {
    assertThat(Dialect.forUrl("jdbc:postgresql://h/db").name()).isEqualTo("postgresql");
    assertThat(Dialect.forUrl("jdbc:duckdb:/data/f.duckdb").name()).isEqualTo("duckdb");
    assertThat(Dialect.forUrl("jdbc:h2:mem:x").name()).isEqualTo("h2");
    assertThat(Dialect.forUrl("jdbc:sqlserver://h").name()).isEqualTo("ansi");
    assertThatThrownBy(() -> Dialect.forUrl("jdbc:duckdb:"))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("jdbc:duckdb:memory:<name>");
  }

  @Test
  void onlyPlainIdentifiersAreQuoted() {
    SqlNames names = new SqlNames("\"");
    assertThat(names.quote("driver_id", "column")).isEqualTo("\"driver_id\"");
    assertThat(names.table("features.driver_stats", "table"))
        .isEqualTo("\"features\".\"driver_stats\"");
    for (String attack :
        new String[] {"x\"; DROP TABLE t; --", "a b", "1abc", "", "t--", "a.b.c.d"}) {
      assertThatThrownBy(() -> names.table(attack, "table"))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER));
    }
  }

  private static void assertRefused(Map<String, String> properties, String message) {
    assertThatThrownBy(() -> JdbcBackendConfig.from(properties, name -> null))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining(message);
  }
}
