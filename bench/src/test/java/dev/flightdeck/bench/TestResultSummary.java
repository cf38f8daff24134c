package dev.flightdeck.bench;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.bench.BenchSchema.Feature;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class TestResultSummary {
  /** Rows as (key, micros, conv_rate, acc_rate, trips); a null feature is {@code null}. */
  private static final Object[][] ROWS = {
    {1001L, 10L, 0.5f, 0.25, 7L},
    {1002L, 20L, null, 0.75, 3L},
    {1003L, 30L, 0.125f, null, null},
  };

  @Test
  void theSameRowsInAnotherOrderAgree() {
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot forward = table(allocator, ROWS[0], ROWS[1], ROWS[2]);
        VectorSchemaRoot backward = table(allocator, ROWS[2], ROWS[1], ROWS[0])) {
      assertThatCode(() -> summary(forward).requireSameAs(summary(backward), "a", "b"))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void valuesSwappedBetweenKeysAreCaught() {
    Object[] first = ROWS[0].clone();
    Object[] second = ROWS[1].clone();
    first[4] = 3L;
    second[4] = 7L;
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot expected = table(allocator, ROWS[0], ROWS[1]);
        VectorSchemaRoot swapped = table(allocator, first, second)) {
      assertThatThrownBy(() -> summary(swapped).requireSameAs(summary(expected), "a", "b"))
          .isInstanceOf(ResultSummary.CrossCheckFailure.class)
          // Key 1001 weighs 1001 % 97 + 1 = 32, key 1002 weighs 33.
          .hasMessage(
              "a disagrees with b: key-weighted sum of avg_daily_trips "
                  + (32 * 3 + 33 * 7)
                  + " instead of "
                  + (32 * 7 + 33 * 3));
    }
  }

  @Test
  void aMissingNullIsCaught() {
    Object[] filled = ROWS[1].clone();
    filled[2] = 0.0f;
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot expected = table(allocator, ROWS[1]);
        VectorSchemaRoot actual = table(allocator, filled)) {
      assertThatThrownBy(() -> summary(actual).requireSameAs(summary(expected), "a", "b"))
          .hasMessageContaining("nulls of conv_rate 0 instead of 1");
    }
  }

  private static ResultSummary summary(VectorSchemaRoot table) {
    ResultSummary summary = new ResultSummary();
    summary.add(table);
    return summary;
  }

  private static VectorSchemaRoot table(BufferAllocator allocator, Object[]... rows) {
    VectorSchemaRoot table = VectorSchemaRoot.create(BenchSchema.result(), allocator);
    table.allocateNew();
    BigIntVector keys = (BigIntVector) table.getVector(BenchSchema.KEY);
    TimeStampMicroTZVector times =
        (TimeStampMicroTZVector) table.getVector(BenchSchema.EVENT_TIMESTAMP);
    Float4Vector convRate = (Float4Vector) table.getVector(Feature.CONV_RATE.column);
    Float8Vector accRate = (Float8Vector) table.getVector(Feature.ACC_RATE.column);
    BigIntVector trips = (BigIntVector) table.getVector(Feature.AVG_DAILY_TRIPS.column);
    for (int row = 0; row < rows.length; row++) {
      keys.setSafe(row, (Long) rows[row][0]);
      times.setSafe(row, (Long) rows[row][1]);
      if (rows[row][2] == null) {
        convRate.setNull(row);
      } else {
        convRate.setSafe(row, (Float) rows[row][2]);
      }
      if (rows[row][3] == null) {
        accRate.setNull(row);
      } else {
        accRate.setSafe(row, (Double) rows[row][3]);
      }
      if (rows[row][4] == null) {
        trips.setNull(row);
      } else {
        trips.setSafe(row, (Long) rows[row][4]);
      }
    }
    table.setRowCount(rows.length);
    return table;
  }
}
