package dev.flightdeck.cli;

import dev.flightdeck.retrieval.Timestamps;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The demo's entity table: drivers 1001–1005, each with a customer, at a few instants of the
 * example data.
 */
final class DemoEntities {
  static final List<String> FEATURES =
      List.of(
          "driver_hourly_stats:conv_rate",
          "driver_hourly_stats:acc_rate",
          "driver_hourly_stats:avg_daily_trips",
          "customer_profile:current_balance",
          "customer_profile:lifetime_trip_count");

  private static final List<Instant> INSTANTS =
      List.of(
          Instant.parse("2024-01-01T10:30:00Z"),
          Instant.parse("2024-01-02T09:15:00Z"),
          Instant.parse("2024-01-03T18:00:00Z"));

  private DemoEntities() {}

  static VectorSchemaRoot create(BufferAllocator allocator) {
    Schema schema =
        new Schema(
            List.of(
                Field.notNullable("driver_id", new ArrowType.Int(64, true)),
                Field.notNullable("customer_id", new ArrowType.Int(64, true)),
                Field.notNullable(
                    "event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    try {
      root.allocateNew();
      BigIntVector drivers = (BigIntVector) root.getVector("driver_id");
      BigIntVector customers = (BigIntVector) root.getVector("customer_id");
      TimeStampMicroTZVector timestamps =
          (TimeStampMicroTZVector) root.getVector("event_timestamp");
      int row = 0;
      for (Instant instant : INSTANTS) {
        for (int i = 0; i < 5; i++) {
          drivers.setSafe(row, 1001 + i);
          customers.setSafe(row, 201 + i);
          timestamps.setSafe(row, Timestamps.toMicros(instant));
          row++;
        }
      }
      root.setRowCount(row);
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }
}
