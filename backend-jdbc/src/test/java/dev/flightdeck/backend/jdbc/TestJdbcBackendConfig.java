package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    assertThat(Dialects.of(List.of()).create("jdbc:postgresql://h/db").name())
        .isEqualTo("postgresql");
    assertThat(Dialects.of(List.of()).create("jdbc:duckdb:/data/f.duckdb").name())
        .isEqualTo("duckdb");
    assertThat(Dialects.of(List.of()).create("jdbc:h2:mem:x").name()).isEqualTo("h2");
    assertThat(Dialects.of(List.of()).create("jdbc:sqlserver://h").name()).isEqualTo("ansi");
    assertThatThrownBy(() -> Dialects.of(List.of()).create("jdbc:duckdb:"))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining("jdbc:duckdb:memory:<name>");
  }

  @Test
  void anAddedDialectWinsForItsUrlsAndBringsItsKeys() {
    DialectFactory added =
        new DialectFactory() {
          @Override
          public String name() {
            return "warehouse";
          }

          @Override
          public boolean accepts(String url) {
            return url.startsWith("jdbc:postgresql://warehouse");
          }

          @Override
          public Set<String> configKeys() {
            return Set.of("scratch_schema");
          }

          @Override
          public Dialect create(String url, Map<String, String> settings) {
            return () -> "warehouse:" + settings.get("scratch_schema");
          }
        };
    Dialects dialects = Dialects.of(List.of(added));
    JdbcBackendConfig config =
        JdbcBackendConfig.from(
            Map.of("url", "jdbc:postgresql://warehouse/db", "scratch_schema", "${SCRATCH}"),
            name -> name.equals("SCRATCH") ? "tmp" : null,
            dialects);

    assertThat(config.dialectSettings()).isEqualTo(Map.of("scratch_schema", "tmp"));
    assertThat(dialects.forUrl(config.url()).create(config.url(), config.dialectSettings()).name())
        .isEqualTo("warehouse:tmp");
    assertThat(dialects.create("jdbc:postgresql://other/db").name()).isEqualTo("postgresql");
    assertThatThrownBy(
            () ->
                JdbcBackendConfig.from(
                    Map.of("url", "jdbc:postgresql://warehouse/db", "scratch", "x"),
                    name -> null,
                    dialects))
        .hasMessageContaining("unknown offline_store keys for type 'jdbc': scratch")
        .hasMessageContaining("dialect 'warehouse': scratch_schema");
    // A key of the added dialect means nothing to the others.
    assertThatThrownBy(
            () ->
                JdbcBackendConfig.from(
                    Map.of("url", "jdbc:postgresql://other/db", "scratch_schema", "x"),
                    name -> null,
                    dialects))
        .hasMessageContaining("unknown offline_store keys for type 'jdbc': scratch_schema");
    assertThatThrownBy(() -> Dialects.of(List.of(added, added)))
        .hasMessageContaining("two jdbc dialects are named 'warehouse'");
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
