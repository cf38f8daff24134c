package dev.flightdeck.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestParamTables {
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close();
  }

  @Test
  void stringsRoundTrip() {
    try (VectorSchemaRoot table =
        ParamTables.strings("features", List.of("a:x", "ü:ß"), allocator)) {
      assertThat(table.getSchema().getFields().get(0).getName()).isEqualTo("features");
      assertThat(ParamTables.readStrings("features", table)).containsExactly("a:x", "ü:ß");
    }
  }

  @Test
  void boolRoundTrips() {
    try (VectorSchemaRoot yes = ParamTables.bool("flag", true, allocator);
        VectorSchemaRoot no = ParamTables.bool("flag", false, allocator)) {
      assertThat(ParamTables.readBool("flag", yes)).isTrue();
      assertThat(ParamTables.readBool("flag", no)).isFalse();
    }
  }

  @Test
  void singleStringNeedsExactlyOneRow() {
    try (VectorSchemaRoot two =
        ParamTables.strings("feature_service", List.of("a", "b"), allocator)) {
      assertThatThrownBy(() -> ParamTables.readString("feature_service", two))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
          .hasMessageContaining("exactly one row, got 2");
    }
  }

  @Test
  void columnMustBeNamedAfterTheParam() {
    try (VectorSchemaRoot table = ParamTables.strings("other", List.of("a:x"), allocator)) {
      assertThatThrownBy(() -> ParamTables.readStrings("features", table))
          .isInstanceOf(FlightdeckException.class)
          .hasMessageContaining("named 'features'");
    }
  }
}
