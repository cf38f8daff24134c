package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestEntityRows {
  @Test
  void tableNamesAreUniqueAndCarryWhenTheyWereMade() {
    Instant now = Instant.parse("2026-12-03T06:00:00Z");
    String name = EntityRows.newTableName(now);

    assertThat(name).matches("fd_entities_1796277600_[0-9a-f]{32}");
    assertThat(EntityRows.newTableName(now)).isNotEqualTo(name);
    assertThat(EntityRows.madeAt(name)).contains(now);
    // Under PostgreSQL's 63-character identifier limit, with the index's "_keys" suffix.
    assertThat(name.length() + "_keys".length()).isLessThanOrEqualTo(63);
    for (String other :
        new String[] {"fd_entities_x", "driver_stats", "fd_entities_1_abc", name + "_keys"}) {
      assertThat(EntityRows.madeAt(other)).as(other).isEmpty();
    }
  }
}
