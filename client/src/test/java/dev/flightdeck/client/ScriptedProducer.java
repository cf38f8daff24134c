package dev.flightdeck.client;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.protocol.ParamTables;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * A minimal server side of the wire contract for client tests: keeps each put, counts the calls,
 * and answers a do_get with the entity table it received, or with UNKNOWN_FEATURE_VIEW for view
 * {@code missing}. Its flight infos' endpoint names {@link #locations}; a {@link #replica()} serves
 * the same puts, as a replica a client is sent to would.
 */
final class ScriptedProducer extends NoOpFlightProducer implements AutoCloseable {
  final AtomicInteger getStreamCalls = new AtomicInteger();
  final AtomicInteger getInfoCalls = new AtomicInteger();
  final Map<String, Map<String, VectorSchemaRoot>> received;
  final Map<String, Integer> batches;
  volatile List<Location> locations = List.of();

  /** Whether the put answers name the first of {@link #locations}, as a server does. */
  volatile boolean locationsInPutAnswers = true;

  private final BufferAllocator allocator;
  private final boolean ownsPuts;

  ScriptedProducer(BufferAllocator allocator) {
    this(allocator, new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), true);
  }

  private ScriptedProducer(
      BufferAllocator allocator,
      Map<String, Map<String, VectorSchemaRoot>> received,
      Map<String, Integer> batches,
      boolean ownsPuts) {
    this.allocator = allocator;
    this.received = received;
    this.batches = batches;
    this.ownsPuts = ownsPuts;
  }

  /** Another producer over the same puts, with its own counts; this one frees the puts. */
  ScriptedProducer replica() {
    return new ScriptedProducer(allocator, received, batches, false);
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
      if (!locations.isEmpty() && locationsInPutAnswers) {
        // As the server does with --advertise: the location in each put's answer.
        byte[] location = locations.get(0).getUri().toString().getBytes(StandardCharsets.UTF_8);
        ArrowBuf metadata = allocator.buffer(location.length);
        metadata.writeBytes(location);
        try (PutResult answer = PutResult.metadata(metadata)) {
          ackStream.onNext(answer);
        }
      }
      ackStream.onCompleted();
    };
  }

  @Override
  public FlightInfo getFlightInfo(CallContext context, FlightDescriptor descriptor) {
    getInfoCalls.incrementAndGet();
    String id = CommandIds.fromDescriptor(descriptor);
    if (!received.containsKey(id)) {
      throw FlightErrors.toFlight(unknown(id));
    }
    return new FlightInfo(
        entities(id).getSchema(),
        descriptor,
        List.of(new FlightEndpoint(CommandIds.ticket(id), locations.toArray(Location[]::new))),
        -1,
        -1);
  }

  @Override
  public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener) {
    getStreamCalls.incrementAndGet();
    String id = CommandIds.fromTicket(ticket);
    if (!received.containsKey(id)) {
      listener.error(FlightErrors.toFlight(unknown(id)));
      return;
    }
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

  private static FlightdeckException unknown(String id) {
    return new FlightdeckException(ErrorCode.UNKNOWN_COMMAND, "unknown command " + id);
  }

  private VectorSchemaRoot entities(String id) {
    return received.get(id).get("entity_df");
  }

  @Override
  public void close() {
    if (!ownsPuts) {
      return;
    }
    received.values().forEach(params -> params.values().forEach(VectorSchemaRoot::close));
  }
}
