package dev.flightdeck.protocol;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api.Param;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.TimeRange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestPullCodec {
  private static final Api API = Api.PULL_LATEST_FROM_TABLE_OR_QUERY;
  private BufferAllocator allocator;
  private final Map<String, VectorSchemaRoot> params = new HashMap<>();

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    params.values().forEach(VectorSchemaRoot::close);
    allocator.close();
  }

  @Test
  void roundTripsEveryField() {
    PullRequest request =
        new PullRequest(
            "driver_stats",
            List.of("driver_id", "city"),
            List.of("conv_rate"),
            "event_timestamp",
            Optional.of("created"),
            TimeRange.between(at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00.000001Z")));

    params.putAll(PullCodec.encode(request, allocator));

    assertThat(PullCodec.decode(API, params)).isEqualTo(request);
  }

  @Test
  void optionalParamsMayBeLeftOut() {
    PullRequest request =
        new PullRequest("s", List.of("k"), List.of("f"), "ts", Optional.empty(), TimeRange.ALL);

    params.putAll(PullCodec.encode(request, allocator));

    assertThat(params)
        .doesNotContainKeys(Param.CREATED_TIMESTAMP_COLUMN, Param.START_DATE, Param.END_DATE);
    assertThat(PullCodec.decode(Api.PULL_ALL_FROM_TABLE_OR_QUERY, params)).isEqualTo(request);
  }

  @Test
  void missingWrongAndUnknownParamsAreNamed() {
    params.putAll(
        PullCodec.encode(
            new PullRequest("s", List.of("k"), List.of("f"), "ts", Optional.empty(), TimeRange.ALL),
            allocator));
    params.remove(Param.TIMESTAMP_FIELD).close();
    assertRefused(ErrorCode.MISSING_PARAMETER, "'timestamp_field'");

    params.put(
        Param.TIMESTAMP_FIELD,
        TestTable.with(allocator).int64(Param.TIMESTAMP_FIELD).row(1L).build());
    assertRefused(ErrorCode.INVALID_PARAMETER, "'timestamp_field'");

    params.remove(Param.TIMESTAMP_FIELD).close();
    params.put(
        Param.START_DATE,
        TestTable.with(allocator)
            .timestamp(Param.START_DATE, TimeUnit.MILLISECOND, null)
            .row(at("2024-01-01T00:00:00Z"))
            .build());
    params.put("entity_df", TestTable.with(allocator).int64("x").build());
    assertRefused(ErrorCode.UNKNOWN_PARAMETER, "'entity_df'");
  }

  private void assertRefused(ErrorCode code, String named) {
    assertThatThrownBy(() -> PullCodec.decode(API, params))
        .isInstanceOfSatisfying(
            FlightdeckException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(named);
  }
}
