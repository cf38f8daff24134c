package dev.flightdeck.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.protocol.ParamTables;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.flight.AsyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The producer over a real Flight server on a free port, driven by a plain FlightClient. */
class TestFlightdeckProducer {
  private BufferAllocator allocator;
  private FakeOfflineStore store;
  private FlightdeckServer server;
  private FlightClient client;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    store = new FakeOfflineStore(allocator);
    server =
        FlightdeckServer.forStore(
                store,
                allocator,
                ServerConfig.defaults().withPort(0).withClientReadTimeout(Duration.ofSeconds(30)))
            .start();
    client = FlightClient.builder(allocator, server.location()).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    client.close();
    server.close();
    allocator.close(); // fails the test on a leak
  }

  @Test
  void happyPath() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "stats:conv_rate", "stats:trips");

    FlightInfo info = client.getInfo(CommandIds.descriptor(id));
    assertThat(info.getSchema().getFields())
        .extracting(Field::getName)
        .containsExactly("driver_id", "event_timestamp", "conv_rate", "trips");
    assertThat(info.getEndpoints()).hasSize(1);
    assertThat(new String(info.getEndpoints().get(0).getTicket().getBytes(), UTF_8)).isEqualTo(id);
    assertThat(info.getEndpoints().get(0).getLocations()).as("nothing advertised").isEmpty();
    assertThat(info.getOrdered()).as("rows in entity order").isTrue();
    assertThat(store.openStreams.get()).isZero(); // the schema needs no data

    try (FlightStream stream = client.getStream(CommandIds.ticket(id))) {
      assertThat(stream.next()).isTrue();
      VectorSchemaRoot root = stream.getRoot();
      assertThat(root.getRowCount()).isEqualTo(3);
      assertThat(((BigIntVector) root.getVector("driver_id")).get(2)).isEqualTo(1003L);
      assertThat(((BigIntVector) root.getVector("trips")).get(2)).isEqualTo(2L);
      assertThat(root.getSchema().getCustomMetadata())
          .doesNotContainKeys("command", "api", "param");
      assertThat(stream.next()).isFalse();
    }
  }

  @Test
  void theEndpointNamesTheAdvertisedLocation() throws Exception {
    URI advertised = URI.create("grpc+tcp://replica-1.internal:8815");
    restart(ServerConfig.defaults().withPort(0).withAdvertise(Optional.of(advertised)));
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "stats:conv_rate");

    FlightInfo info = client.getInfo(CommandIds.descriptor(id));
    assertThat(info.getEndpoints()).hasSize(1);
    assertThat(info.getEndpoints().get(0).getLocations()).containsExactly(new Location(advertised));
    assertThat(info.getOrdered()).isTrue();
    assertThat(countRows(id)).isEqualTo(3);
  }

  @Test
  void secondDoGetIsNotFound() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "stats:conv_rate");
    assertThat(countRows(id)).isEqualTo(3);

    assertFlightError(() -> countRows(id), FlightStatusCode.NOT_FOUND, id);
    assertFlightError(
        () -> client.getInfo(CommandIds.descriptor(id)), FlightStatusCode.NOT_FOUND, id);
    assertStillServing();
  }

  @Test
  void putWithoutMetadataIsRefused() throws Exception {
    String id = CommandIds.newId();
    try (VectorSchemaRoot features =
        ParamTables.strings("features", List.of("stats:conv_rate"), allocator)) {
      assertFlightError(
          () ->
              put(
                  CommandIds.descriptor(id),
                  Map.of("command", id, "api", "get_historical_features"),
                  features),
          FlightStatusCode.INVALID_ARGUMENT,
          "'param'");
    }
    assertStillServing();
  }

  @Test
  void unknownApiIsRefused() throws Exception {
    String id = CommandIds.newId();
    try (VectorSchemaRoot features =
        ParamTables.strings("features", List.of("stats:conv_rate"), allocator)) {
      assertFlightError(
          () ->
              put(
                  CommandIds.descriptor(id),
                  header(id, "get_online_features", "features"),
                  features),
          FlightStatusCode.INVALID_ARGUMENT,
          "'get_online_features'");
    }
    assertStillServing();
  }

  @Test
  void unknownParamIsRefused() throws Exception {
    String id = CommandIds.newId();
    try (VectorSchemaRoot features =
        ParamTables.strings("featurez", List.of("stats:conv_rate"), allocator)) {
      assertFlightError(
          () ->
              put(
                  CommandIds.descriptor(id),
                  header(id, "get_historical_features", "featurez"),
                  features),
          FlightStatusCode.INVALID_ARGUMENT,
          "'featurez'");
    }
    assertStillServing();
  }

  @Test
  void missingEntityDfIsRefusedAtDoGet() throws Exception {
    String id = CommandIds.newId();
    putStrings(id, "features", "stats:conv_rate");

    assertFlightError(() -> countRows(id), FlightStatusCode.INVALID_ARGUMENT, "'entity_df'");
    assertStillServing();
  }

  @Test
  void descriptorMustNameTheCommandOfTheMetadata() throws Exception {
    String id = CommandIds.newId();
    String other = CommandIds.newId();
    try (VectorSchemaRoot features =
        ParamTables.strings("features", List.of("stats:conv_rate"), allocator)) {
      assertFlightError(
          () ->
              put(
                  CommandIds.descriptor(other),
                  header(id, "get_historical_features", "features"),
                  features),
          FlightStatusCode.INVALID_ARGUMENT,
          other);
      assertFlightError(
          () ->
              put(
                  FlightDescriptor.command("not-a-uuid".getBytes(UTF_8)),
                  header(id, "get_historical_features", "features"),
                  features),
          FlightStatusCode.INVALID_ARGUMENT,
          "not-a-uuid");
    }
    assertStillServing();
  }

  @Test
  void malformedFeatureReferenceIsRefused() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "stats_conv_rate");

    assertFlightError(
        () -> client.getInfo(CommandIds.descriptor(id)),
        FlightStatusCode.INVALID_ARGUMENT,
        "'stats_conv_rate'");
    assertFlightError(() -> countRows(id), FlightStatusCode.INVALID_ARGUMENT, "'stats_conv_rate'");
    assertStillServing();
  }

  @Test
  void duplicateParamIsRefusedAndTheFirstKept() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "stats:conv_rate");

    assertFlightError(
        () -> putStrings(id, "features", "nope:nope"),
        FlightStatusCode.INVALID_ARGUMENT,
        "'features'");
    assertThat(countRows(id)).isEqualTo(3);
  }

  @Test
  void unknownFeatureViewIsNotFound() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "nope:conv_rate");

    assertFlightError(() -> countRows(id), FlightStatusCode.NOT_FOUND, "'nope'");
    assertStillServing();
  }

  @Test
  void backendFailureIsInternalWithoutDetails() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "boom:x");

    FlightRuntimeException error = catchFlight(() -> countRows(id));
    assertThat(error.status().code()).isEqualTo(FlightStatusCode.INTERNAL);
    assertThat(error.status().description())
        .contains("server log")
        .doesNotContain("secret", "/etc/passwd", "\tat ", "dev.flightdeck");
    assertThat(FlightErrors.fromFlight(error).code().name()).isEqualTo("BACKEND_FAILURE");
    assertStillServing();
  }

  /** An Error, not only an Exception, becomes a coded status; the command and its memory go. */
  @Test
  void outOfMemoryIsACodedInternalErrorAndTheServerKeepsServing() throws Exception {
    long before = allocator.getAllocatedMemory();
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "oom:x");

    FlightRuntimeException error = catchFlight(() -> countRows(id));
    assertThat(error.status().code()).isEqualTo(FlightStatusCode.INTERNAL);
    assertThat(error.status().description()).contains("error id").doesNotContain("heap");
    assertThat(FlightErrors.fromServer(error)).isTrue();
    assertStillServing();
    // Freed by the stream's thread after it sent the error: on a busy machine, a moment later.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (allocator.getAllocatedMemory() != before && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(allocator.getAllocatedMemory()).isEqualTo(before);
  }

  @Test
  void aDictionaryEncodedColumnIsRefusedAsInvalid() throws Exception {
    String id = CommandIds.newId();
    try (VarCharVector values = new VarCharVector("city", allocator);
        VarCharVector cities = new VarCharVector("city", allocator)) {
      values.allocateNew();
      values.setSafe(0, "Oslo".getBytes(StandardCharsets.UTF_8));
      values.setValueCount(1);
      cities.allocateNew();
      cities.setSafe(0, "Oslo".getBytes(StandardCharsets.UTF_8));
      cities.setSafe(1, "Oslo".getBytes(StandardCharsets.UTF_8));
      cities.setValueCount(2);
      Dictionary dictionary =
          new Dictionary(values, new DictionaryEncoding(1L, false, new ArrowType.Int(32, true)));
      DictionaryProvider.MapDictionaryProvider provider =
          new DictionaryProvider.MapDictionaryProvider(dictionary);
      try (FieldVector encoded = (FieldVector) DictionaryEncoder.encode(cities, dictionary);
          VectorSchemaRoot table = VectorSchemaRoot.of(encoded)) {
        Schema schema =
            new Schema(
                table.getSchema().getFields(), header(id, "get_historical_features", "entity_df"));
        assertFlightError(
            () -> {
              try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(schema, allocator);
                  ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
                FlightClient.ClientStreamListener listener =
                    client.startPut(
                        CommandIds.descriptor(id), outgoing, provider, new AsyncPutListener());
                new VectorLoader(outgoing).load(batch);
                listener.putNext();
                listener.completed();
                listener.getResult();
              }
            },
            FlightStatusCode.INVALID_ARGUMENT,
            "column 'city' is dictionary-encoded");
      }
    }
    assertStillServing();
  }

  @Test
  void aCodedBackendFailureKeepsItsCodeButNotItsDetail() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "leak:x");

    FlightRuntimeException error = catchFlight(() -> countRows(id));
    assertThat(error.status().code()).isEqualTo(FlightStatusCode.INTERNAL);
    assertThat(error.status().description())
        .containsPattern("error id [0-9a-f]{8}")
        .doesNotContain("/srv/secret", "hunter2", "jdbc:");
    assertThat(FlightErrors.fromFlight(error).code().name()).isEqualTo("BACKEND_FAILURE");
    assertStillServing();
  }

  @Test
  void anEchoedHugeInputIsCut() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    String huge = "v".repeat(100_000);
    putStrings(id, "features", huge + ":x");

    FlightRuntimeException error = catchFlight(() -> countRows(id));
    assertThat(error.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
    assertThat(error.status().description()).hasSizeLessThan(1_100).contains("characters)");
    assertStillServing();
  }

  @Test
  @Timeout(120)
  void largeStreamCompletesWithBackpressure() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "big:value");

    long rows = 0;
    long batches = 0;
    long sum = 0;
    try (FlightStream stream = client.getStream(CommandIds.ticket(id))) {
      while (stream.next()) {
        BigIntVector values = (BigIntVector) stream.getRoot().getVector("value");
        for (int row = 0; row < values.getValueCount(); row++) {
          sum += values.get(row);
        }
        rows += stream.getRoot().getRowCount();
        batches++;
      }
    }
    assertThat(rows).isEqualTo(FakeOfflineStore.BIG_ROWS);
    assertThat(batches).isGreaterThan(20);
    assertThat(sum)
        .isEqualTo((long) FakeOfflineStore.BIG_ROWS * (FakeOfflineStore.BIG_ROWS - 1) / 2);
    assertStillServing();
  }

  @Test
  void abandonedStreamIsCleanedUp() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "big:value");
    try (FlightStream stream = client.getStream(CommandIds.ticket(id))) {
      assertThat(stream.next()).isTrue();
      stream.cancel("test stops reading", null);
    }
    assertStillServing();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (store.openStreams.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(store.openStreams.get()).isZero();
  }

  @Test
  @Timeout(60)
  void largeDuplicateParamIsRefusedAndTheServerKeepsServing() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    Schema schema =
        new Schema(
            List.of(Field.nullable("driver_id", new ArrowType.Int(64, true))),
            header(id, "get_historical_features", "entity_df"));
    try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(schema, allocator)) {
      FlightClient.ClientStreamListener listener =
          client.startPut(CommandIds.descriptor(id), outgoing, new AsyncPutListener());
      BigIntVector ids = (BigIntVector) outgoing.getVector(0);
      for (int batch = 0; batch < 20; batch++) {
        ids.allocateNew(65_536);
        for (int row = 0; row < 65_536; row++) {
          ids.set(row, row);
        }
        outgoing.setRowCount(65_536);
        listener.putNext();
      }
      listener.completed();
      assertFlightError(listener::getResult, FlightStatusCode.INVALID_ARGUMENT, "'entity_df'");
    }
    putStrings(id, "features", "stats:conv_rate");
    assertThat(countRows(id)).isEqualTo(3); // the first entity_df was kept
  }

  // ---- helpers
  // ------------------------------------------------------------------------------------

  /** Replaces the server (and its store) with one configured so. */
  private void restart(ServerConfig config) throws Exception {
    client.close();
    server.close();
    store = new FakeOfflineStore(allocator);
    server = FlightdeckServer.forStore(store, allocator, config).start();
    client = FlightClient.builder(allocator, server.location()).build();
  }

  private void assertStillServing() throws Exception {
    String id = CommandIds.newId();
    putEntities(id);
    putStrings(id, "features", "stats:conv_rate");
    assertThat(countRows(id)).isEqualTo(3);
  }

  private long countRows(String id) throws Exception {
    long rows = 0;
    try (FlightStream stream = client.getStream(CommandIds.ticket(id))) {
      while (stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
    }
    return rows;
  }

  private void putEntities(String id) {
    try (VectorSchemaRoot entities =
        TestTable.with(allocator)
            .int64("driver_id")
            .timestamp("event_timestamp")
            .row(1001L, TestTable.at("2024-01-01T10:00:00Z"))
            .row(1002L, TestTable.at("2024-01-01T11:00:00Z"))
            .row(1003L, TestTable.at("2024-01-01T12:00:00Z"))
            .build()) {
      put(CommandIds.descriptor(id), header(id, "get_historical_features", "entity_df"), entities);
    }
  }

  private void putStrings(String id, String param, String... values) {
    try (VectorSchemaRoot table = ParamTables.strings(param, List.of(values), allocator)) {
      put(CommandIds.descriptor(id), header(id, "get_historical_features", param), table);
    }
  }

  private static Map<String, String> header(String id, String api, String param) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put("command", id);
    metadata.put("api", api);
    metadata.put("param", param);
    return metadata;
  }

  private void put(
      FlightDescriptor descriptor, Map<String, String> metadata, VectorSchemaRoot table) {
    Schema schema = new Schema(table.getSchema().getFields(), metadata);
    try (VectorSchemaRoot outgoing = VectorSchemaRoot.create(schema, allocator);
        ArrowRecordBatch batch = new VectorUnloader(table).getRecordBatch()) {
      FlightClient.ClientStreamListener listener =
          client.startPut(descriptor, outgoing, new AsyncPutListener());
      new VectorLoader(outgoing).load(batch);
      listener.putNext();
      listener.completed();
      listener.getResult();
    }
  }

  private static FlightRuntimeException catchFlight(ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(FlightRuntimeException.class);
    return (FlightRuntimeException) thrown;
  }

  private static void assertFlightError(
      ThrowingCallable call, FlightStatusCode code, String messagePart) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            FlightRuntimeException.class,
            error -> {
              assertThat(error.status().code()).isEqualTo(code);
              assertThat(error.status().description()).contains(messagePart);
            });
  }
}
