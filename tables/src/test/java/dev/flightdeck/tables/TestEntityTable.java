package dev.flightdeck.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestEntityTable {
  private BufferAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() {
    allocator.close(); // fails on a leak
  }

  @Test
  void columnsBecomeATableInOrderWithNulls() {
    Instant noon = Instant.parse("2024-01-01T12:00:00Z");
    try (VectorSchemaRoot table =
        EntityTable.builder()
            .int64("driver_id", Arrays.asList(1001L, null))
            .string("city", List.of("Oslo", "007"))
            .float32("weight", List.of(0.5f, 1f))
            .timestamp("event_timestamp", List.of(noon, noon))
            .build(allocator)) {
      assertThat(table.getSchema().getFields())
          .extracting(field -> field.getName())
          .containsExactly("driver_id", "city", "weight", "event_timestamp");
      assertThat(table.getVector("event_timestamp").getField().getType())
          .isEqualTo(new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"));
      assertThat(TableRows.of(table))
          .containsExactly(
              Arrays.asList(1001L, "Oslo", 0.5f, noon), Arrays.asList(null, "007", 1f, noon));
    }
  }

  @Test
  void unevenOrRepeatedColumnsAreRefusedByName() {
    EntityTable uneven =
        EntityTable.builder().int64("driver_id", List.of(1L, 2L)).bool("vip", List.of(true));
    assertThatThrownBy(() -> uneven.build(allocator))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
        .hasMessageContaining("'vip' has 1 values, but 'driver_id' has 2");
    assertThatThrownBy(
            () ->
                EntityTable.builder()
                    .int64("driver_id", List.of(1L))
                    .int64("driver_id", List.of(2L)))
        .hasMessageContaining("'driver_id' is added twice");
  }
}
