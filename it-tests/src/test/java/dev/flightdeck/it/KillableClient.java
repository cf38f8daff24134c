package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A Flight client in a JVM of its own, for {@link ClientProcessKillIT} to kill with SIGKILL in the
 * middle of a call: no Flightdeck client code, no chance to say goodbye.
 *
 * <p>{@code KillableClient put PORT BATCHES}: starts the do_put of an {@code entity_df}, sends
 * BATCHES batches of {@value #BATCH_ROWS} rows and neither ends nor cancels it. {@code
 * KillableClient get PORT ROWS}: puts a request of ROWS rows, starts its do_get and reads one
 * batch. Either prints {@code COMMAND <id>}, then {@code READY} once mid-call, then sleeps.
 */
public final class KillableClient {
  static final int BATCH_ROWS = 100_000;

  private KillableClient() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int port = Integer.parseInt(args[1]);
    int amount = Integer.parseInt(args[2]);
    // Never closed: the process dies holding everything.
    BufferAllocator allocator = new RootAllocator();
    FlightClient client =
        FlightClient.builder(allocator, Location.forGrpcInsecure("localhost", port)).build();
    switch (mode) {
      case "put" -> putWithoutEnd(client, allocator, amount);
      case "get" -> getOneBatch(client, allocator, amount);
      default -> throw new IllegalArgumentException("mode put or get, not " + mode);
    }
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void putWithoutEnd(FlightClient client, BufferAllocator allocator, int batches) {
    String id = CommandIds.newId();
    System.out.println("COMMAND " + id);
    Schema schema =
        new Schema(
            List.of(
                Field.nullable("driver_id", new ArrowType.Int(64, true)),
                Field.nullable(
                    "event_timestamp", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))),
            Map.of(
                "command",
                id,
                "api",
                Api.GET_HISTORICAL_FEATURES.wireName(),
                "param",
                Api.Param.ENTITY_DF));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    BigIntVector drivers = (BigIntVector) root.getVector(0);
    TimeStampMicroTZVector times = (TimeStampMicroTZVector) root.getVector(1);
    drivers.allocateNew(BATCH_ROWS);
    times.allocateNew(BATCH_ROWS);
    long start = Instant.parse("2024-01-01T10:30:00Z").toEpochMilli() * 1000;
    for (int i = 0; i < BATCH_ROWS; i++) {
      drivers.set(i, 1001 + i % 5);
      times.set(i, start + i);
    }
    root.setRowCount(BATCH_ROWS);
    FlightClient.ClientStreamListener put =
        client.startPut(FlightDescriptor.command(id.getBytes(UTF_8)), root, new AsyncPutListener());
    for (int i = 0; i < batches; i++) {
      put.putNext(); // waits while the server is not ready for more
    }
  }

  private static void getOneBatch(FlightClient client, BufferAllocator allocator, int rows) {
    String id = LargeRequests.put(client, allocator, rows);
    System.out.println("COMMAND " + id);
    FlightStream stream = client.getStream(CommandIds.ticket(id));
    if (!stream.next()) {
      throw new IllegalStateException("the result of " + rows + " rows has no batch");
    }
  }
}
