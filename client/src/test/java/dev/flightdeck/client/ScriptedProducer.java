package dev.flightdeck.client;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.protocol.ParamTables;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * A minimal server side of the wire contract for client tests: keeps each put, counts the calls,
 * and answers a do_get with the entity table it received, or with UNKNOWN_FEATURE_VIEW for view
 * {@code missing}.
 */
final class ScriptedProducer extends NoOpFlightProducer implements AutoCloseable {
  final AtomicInteger getStreamCalls = new AtomicInteger();
  final AtomicInteger getInfoCalls = new AtomicInteger();
  final Map<String, Map<String, VectorSchemaRoot>> received = new ConcurrentHashMap<>();
  final Map<String, Integer> batches = new ConcurrentHashMap<>();
  private final BufferAllocator allocator;

  ScriptedProducer(BufferAllocator allocator) {
    this.allocator = allocator;
  }

  @Override
  public Runnable acceptPut(
      CallContext context, FlightStream stream, StreamListener<PutResult> ackStream) {
    return () -> {
      CommandHeader header = CommandHeader.fromSchema(stream.getSchema());
      VectorSchemaRoot table =
          VectorSchemaRoot.create(new Schema(stream.getSchema().getFields()), allocator);
      table.allocateNew();
      table.setRowCount(0);
      int count = 0;
      while (stream.next()) {
        VectorSchemaRootAppender.append(false, table, stream.getRoot());
        count++;
      }
      received
          .computeIfAbsent(header.commandId(), id -> new ConcurrentHashMap<>())
          .put(header.param(), table);
      batches.put(header.commandId() + "/" + header.param(), count);
      ackStream.onCompleted();
    };
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    getInfoCalls.incrementAndGet();
    String id = CommandIds.fromDescriptor(descriptor);
    return new FlightInfo(
        entities(id).getSchema(),
        descriptor,
        List.of(new FlightEndpoint(CommandIds.ticket(id))),
        -1,
        -1);
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    getStreamCalls.incrementAndGet();
    String id = CommandIds.fromTicket(ticket);
    VectorSchemaRoot features = received.get(id).get("features");
    if (features != null
        && ParamTables.readStrings("features", features).stream()
            .anyMatch(f -> f.startsWith("missing:"))) {
      listener.error(
          FlightErrors.toFlight(
              new FlightdeckException(
                  ErrorCode.UNKNOWN_FEATURE_VIEW,
                  "unknown feature view 'missing' (known: stats)")));
      return;
    }
    listener.start(entities(id));
    listener.putNext();
    listener.completed();
  }

  private VectorSchemaRoot entities(String id) {
    return received.get(id).get("entity_df");
  }

  @Override
  public void close() {
    received.values().forEach(params -> params.values().forEach(VectorSchemaRoot::close));
  }
}
