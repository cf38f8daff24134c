package dev.flightdeck.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.RepositoryLoader;
import org.junit.jupiter.api.Test;

class TestActionJson {
  @Test
  void persistRequestUsesSnakeCaseAndRefusesUnknownOrMissingKeys() {
    ActionJson.PersistRequest request = new ActionJson.PersistRequest("id", "dest", true);
    byte[] json = ActionJson.write(request);

    assertThat(new String(json, UTF_8))
        .isEqualTo("{\"command\":\"id\",\"destination\":\"dest\",\"allow_overwrite\":true}");
    assertThat(ActionJson.read(json, ActionJson.PersistRequest.class, "persist"))
        .isEqualTo(request);
    for (String bad :
        new String[] {
          "{\"command\":\"id\",\"destination\":\"d\",\"allow_overwrite\":true,\"x\":1}",
          "{\"command\":\"id\",\"destination\":\"d\"}",
          "not json"
        }) {
      assertThatThrownBy(
              () ->
                  ActionJson.read(bad.getBytes(UTF_8), ActionJson.PersistRequest.class, "persist"))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
          .hasMessageContaining("action 'persist'");
    }
  }

  @Test
  void repositoryDescriptionRoundTripsWithoutPaths() {
    RepositoryDescription description =
        RepositoryDescription.of(
            RepositoryLoader.parse(
                """
                project: p
                offline_store: {type: file}
                entities: [{name: driver, join_keys: [driver_id]}]
                data_sources:
                  - {name: s, path: secret/place.parquet, timestamp_field: ts, field_mapping: {a: b}}
                feature_views:
                  - {name: v, entities: [driver], ttl: P1D, source: s, schema: [{name: b, dtype: float32}]}
                feature_services:
                  - {name: svc, features: ["v:b"], logging: {destination: logs}}
                """));
    byte[] json = ActionJson.write(description);

    assertThat(new String(json, UTF_8)).doesNotContain("secret").contains("\"join_keys\"");
    assertThat(ActionJson.read(json, RepositoryDescription.class, "describe"))
        .isEqualTo(description);
    assertThat(description.featureView("v").orElseThrow().ttl()).isEqualTo("P1D");
    assertThat(description.featureServices().get(0).logging()).isTrue();
  }
}
