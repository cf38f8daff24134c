package dev.flightdeck.it;

import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.ParamTables;
import java.time.Instant;
import java.util.List;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A get_historical_features request of any size over the raw wire: drivers 1001-1005 at consecutive
 * microseconds, three features each, so the result has exactly {@code rows} rows.
 */
final class LargeRequests {
  private static final String API = Api.GET_HISTORICAL_FEATURES.wireName();

  private LargeRequests() {}

  /** Puts the request's params under a new command id and returns the id. */
  static String put(FlightClient client, BufferAllocator allocator, int rows) {
    String id = CommandIds.newId();
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("driver_id", new ArrowType.Int(64, true)),
                Field.nullable(
                    "event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))));
    long start = Instant.parse("2024-01-01T10:30:00Z").toEpochMilli() * 1000;
    try (VectorSchemaRoot entities = VectorSchemaRoot.create(schema, allocator);
        VectorSchemaRoot features =
            ParamTables.strings(
                Api.Param.FEATURES,
                List.of(
                    "driver_hourly_stats:conv_rate",
                    "driver_hourly_stats:acc_rate",
                    "driver_hourly_stats:avg_daily_trips"),
                allocator)) {
      BigIntVector drivers = (BigIntVector) entities.getVector(0);
      TimeStampMicroTZVector times = (TimeStampMicroTZVector) entities.getVector(1);
      drivers.allocateNew(rows);
      times.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        drivers.set(i, 1001 + i % 5);
        times.set(i, start + i);
      }
      entities.setRowCount(rows);
      RawPuts puts = new RawPuts(client, allocator);
      puts.put(id, API, Api.Param.ENTITY_DF, entities);
      puts.put(id, API, Api.Param.FEATURES, features);
    }
    return id;
  }

  /** Puts a request of {@code rows} rows and starts its do_get, reading nothing yet. */
  static FlightStream get(FlightClient client, BufferAllocator allocator, int rows) {
    return client.getStream(CommandIds.ticket(put(client, allocator, rows)));
  }

  /** Reads the rest of {@code stream}; the number of rows read. */
  static long drain(FlightStream stream) {
    long rows = 0;
    while (stream.next()) {
      rows += stream.getRoot().getRowCount();
    }
    return rows;
  }
}
