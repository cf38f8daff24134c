package dev.flightdeck.it;

import dev.flightdeck.retrieval.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The deterministic data of {@code examples/driver_repo}: hourly stats for drivers 1001–1005 over
 * 2024-01-01..03 (each tenth hour is written twice, the later write with a later created timestamp
 * and corrected values, to show tie-breaking), and daily profiles for customers 201–205.
 */
final class DriverExampleData {
  static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  static final int HOURS = 72;
  static final int DAYS = 3;
  static final List<Long> DRIVERS = List.of(1001L, 1002L, 1003L, 1004L, 1005L);
  static final List<Long> CUSTOMERS = List.of(201L, 202L, 203L, 204L, 205L);

  private DriverExampleData() {}

  /** Source columns before field_mapping: {@code trips} becomes {@code avg_daily_trips}. */
  static VectorSchemaRoot driverStats(BufferAllocator allocator) {
    Schema schema =
        new Schema(
            List.of(
                Field.notNullable("driver_id", new ArrowType.Int(64, true)),
                Field.notNullable(
                    "event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                Field.notNullable("created", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                Field.nullable(
                    "conv_rate", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                Field.nullable(
                    "acc_rate", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                Field.nullable("trips", new ArrowType.Int(64, true))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    root.allocateNew();
    int row = 0;
    for (int hour = 0; hour < HOURS; hour++) {
      for (long driver : DRIVERS) {
        Instant at = START.plus(Duration.ofHours(hour));
        row = driverRow(root, row, driver, hour, at, at.plusSeconds(60), 0);
        if (hour % 10 == 9) {
          // A late correction for the same hour: same event time, later created time, wins the tie.
          row = driverRow(root, row, driver, hour, at, at.plusSeconds(1800), 1);
        }
      }
    }
    root.setRowCount(row);
    return root;
  }

  private static int driverRow(
      VectorSchemaRoot root,
      int row,
      long driver,
      int hour,
      Instant at,
      Instant created,
      int revision) {
    int seed = (int) (driver * 31 + hour * 7 + revision * 13);
    ((BigIntVector) root.getVector("driver_id")).setSafe(row, driver);
    ((TimeStampMicroTZVector) root.getVector("event_timestamp"))
        .setSafe(row, Timestamps.toMicros(at));
    ((TimeStampMicroTZVector) root.getVector("created")).setSafe(row, Timestamps.toMicros(created));
    ((Float4Vector) root.getVector("conv_rate")).setSafe(row, (seed % 100) / 100f);
    ((Float4Vector) root.getVector("acc_rate")).setSafe(row, ((seed * 3) % 100) / 100f);
    ((BigIntVector) root.getVector("trips")).setSafe(row, 100 + (seed % 900));
    return row + 1;
  }

  static VectorSchemaRoot customerProfile(BufferAllocator allocator) {
    Schema schema =
        new Schema(
            List.of(
                Field.notNullable("customer_id", new ArrowType.Int(64, true)),
                Field.notNullable(
                    "event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC")),
                Field.nullable(
                    "current_balance", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                Field.nullable(
                    "avg_passenger_count",
                    new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)),
                Field.nullable("lifetime_trip_count", new ArrowType.Int(64, true))));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    root.allocateNew();
    int row = 0;
    for (int day = 0; day < DAYS; day++) {
      for (long customer : CUSTOMERS) {
        int seed = (int) (customer * 17 + day * 5);
        ((BigIntVector) root.getVector("customer_id")).setSafe(row, customer);
        ((TimeStampMicroTZVector) root.getVector("event_timestamp"))
            .setSafe(row, Timestamps.toMicros(START.plus(Duration.ofDays(day))));
        ((Float4Vector) root.getVector("current_balance")).setSafe(row, (seed % 1000) + 0.5f);
        ((Float4Vector) root.getVector("avg_passenger_count")).setSafe(row, 1 + (seed % 30) / 10f);
        ((BigIntVector) root.getVector("lifetime_trip_count")).setSafe(row, 1000L + seed * 3L);
        row++;
      }
    }
    root.setRowCount(row);
    return root;
  }
}
