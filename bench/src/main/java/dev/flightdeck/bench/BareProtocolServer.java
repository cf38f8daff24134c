package dev.flightdeck.bench;

import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The floor under a small request, run in a JVM of its own: a Flight server that takes Flightdeck's
 * call shape (one do_put per parameter, then a do_get of the command) and does none of its work. A
 * put is drained and answered, counting the entity rows; the do_get answers that many rows with the
 * result's schema, every feature null. Flightdeck's own client talks to it, so a request's time
 * here is what the calls themselves cost between two JVMs.
 *
 * <p>No arguments. Prints {@code bare protocol serving at PORT} once bound.
 */
public final class BareProtocolServer {
  private BareProtocolServer() {}

  public static void main(String[] args) throws Exception {
    try (BufferAllocator allocator = new RootAllocator();
        FlightServer server =
            FlightServer.builder(
                    allocator, Location.forGrpcInsecure("127.0.0.1", 0), new Producer(allocator))
                .build()) {
      server.start();
      System.out.println("bare protocol serving at " + server.getPort());
      System.out.flush();
      server.awaitTermination();
    }
  }

  private static final class Producer extends NoOpFlightProducer {
    private final BufferAllocator allocator;

    /** Entity rows received per command id, until its do_get. */
    private final Map<String, Integer> entityRows = new ConcurrentHashMap<>();

    Producer(BufferAllocator allocator) {
      this.allocator = allocator;
    }

    @Override
    public Runnable acceptPut(
        CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
      return () -> {
        CommandHeader header = CommandHeader.fromSchema(stream.getSchema());
        int rows = 0;
        while (stream.next()) {
          rows += stream.getRoot().getRowCount();
        }
        if (header.param().equals(Api.Param.ENTITY_DF)) {
          entityRows.merge(header.commandId(), rows, Integer::sum);
        } else {
          entityRows.putIfAbsent(header.commandId(), 0);
        }
        ackStream.onCompleted();
      };
    }

    @Override
    public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
      Integer rows = entityRows.remove(CommandIds.fromTicket(ticket));
      if (rows == null) {
        listener.error(
            CallStatus.NOT_FOUND.withDescription("no such command").toRuntimeException());
        return;
      }
      try (VectorSchemaRoot root = VectorSchemaRoot.create(BenchSchema.result(), allocator)) {
        listener.start(root);
        root.allocateNew();
        BigIntVector keys = (BigIntVector) root.getVector(BenchSchema.KEY);
        TimeStampMicroTZVector times =
            (TimeStampMicroTZVector) root.getVector(BenchSchema.EVENT_TIMESTAMP);
        for (int row = 0; row < rows; row++) {
          keys.setSafe(row, BenchData.FIRST_KEY);
          times.setSafe(row, 0);
        }
        root.setRowCount(rows); // the features stay null
        listener.putNext();
        listener.completed();
      } catch (RuntimeException e) {
        listener.error(e);
      }
    }
  }
}
