package dev.flightdeck.bench;

import dev.flightdeck.bench.BenchSchema.Feature;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;

/**
 * The transfer ceiling, run in a JVM of its own: a Flight server whose every {@code do_get} streams
 * the same in-memory batches, shaped like a get_historical_features result (the same columns, rows
 * and batch size, a sixth of the features null). Nothing is computed per request, so a client's
 * time is what Flight itself costs between two JVMs.
 *
 * <p>Arguments: rows, rows per batch. Prints {@code bare flight serving at PORT} once bound.
 */
public final class BareFlightServer {
  private BareFlightServer() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(args[0]);
    int batchRows = Integer.parseInt(args[1]);
    try (BufferAllocator allocator = new RootAllocator()) {
      List<ArrowRecordBatch> batches = batches(rows, batchRows, allocator);
      try (FlightServer server =
          FlightServer.builder(
                  allocator,
                  Location.forGrpcInsecure("127.0.0.1", 0),
                  new Producer(batches, allocator))
              .build()) {
        server.start();
        System.out.println("bare flight serving at " + server.getPort());
        System.out.flush();
        server.awaitTermination();
      } finally {
        batches.forEach(ArrowRecordBatch::close);
      }
    }
  }

  private static List<ArrowRecordBatch> batches(
      int rows, int batchRows, BufferAllocator allocator) {
    List<ArrowRecordBatch> batches = new ArrayList<>();
    try (VectorSchemaRoot root = VectorSchemaRoot.create(BenchSchema.result(), allocator)) {
      for (int first = 0; first < rows; first += batchRows) {
        int count = Math.min(batchRows, rows - first);
        root.allocateNew();
        BigIntVector keys = (BigIntVector) root.getVector(BenchSchema.KEY);
        TimeStampMicroTZVector times =
            (TimeStampMicroTZVector) root.getVector(BenchSchema.EVENT_TIMESTAMP);
        Float4Vector convRate = (Float4Vector) root.getVector(Feature.CONV_RATE.column);
        Float8Vector accRate = (Float8Vector) root.getVector(Feature.ACC_RATE.column);
        BigIntVector trips = (BigIntVector) root.getVector(Feature.AVG_DAILY_TRIPS.column);
        for (int row = 0; row < count; row++) {
          long index = first + row;
          keys.setSafe(row, BenchData.FIRST_KEY + index % 100_000);
          times.setSafe(row, 1_704_067_200_000_000L + index * 1_000);
          if (index % 6 == 0) {
            convRate.setNull(row);
            accRate.setNull(row);
            trips.setNull(row);
          } else {
            convRate.setSafe(row, (index % 1024) / 1024f);
            accRate.setSafe(row, (index % 65_536) / 65_536.0);
            trips.setSafe(row, index % 1_000);
          }
        }
        root.setRowCount(count);
        batches.add(new VectorUnloader(root).getRecordBatch());
      }
    }
    return batches;
  }

  /** Streams the batches through one root, loaded batch by batch as Flightdeck's streams are. */
  private static final class Producer extends NoOpFlightProducer {
    private final List<ArrowRecordBatch> batches;
    private final BufferAllocator allocator;

    Producer(List<ArrowRecordBatch> batches, BufferAllocator allocator) {
      this.batches = batches;
      this.allocator = allocator;
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
      try (VectorSchemaRoot root = VectorSchemaRoot.create(BenchSchema.result(), allocator)) {
        listener.start(root);
        VectorLoader loader = new VectorLoader(root);
        for (ArrowRecordBatch batch : batches) {
          loader.load(batch);
          listener.putNext();
        }
        listener.completed();
      } catch (RuntimeException e) {
        listener.error(e);
      }
    }
  }
}
