package dev.flightdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestRemoteOfflineStore {
  private BufferAllocator allocator;
  private ScriptedProducer producer;
  private FlightServer server;
  private RemoteOfflineStore store;
  private VectorSchemaRoot entities;

  @BeforeEach
  void setUp() throws Exception {
    allocator = new RootAllocator();
    producer = new ScriptedProducer(allocator);
    server =
        FlightServer.builder(allocator, Location.forGrpcInsecure("127.0.0.1", 0), producer)
            .build()
            .start();
    store =
        new RemoteOfflineStore(
            Location.forGrpcInsecure("127.0.0.1", server.getPort()), allocator, 2);
    TestTable table = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    for (long driver = 1001; driver <= 1005; driver++) {
      table.row(driver, TestTable.at("2024-01-01T10:00:00Z"));
    }
    entities = table.build();
  }

  @AfterEach
  void tearDown() throws Exception {
    entities.close();
    store.close();
    server.close();
    producer.close();
    allocator.close(); // fails the test on a leak
  }

  @Test
  void sendsParamsAtCallTimeAndFetchesOnlyWhenAsked() {
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")))) {
      assertThat(producer.received).hasSize(1);
      String id = producer.received.keySet().iterator().next();
      Map<String, VectorSchemaRoot> params = producer.received.get(id);
      assertThat(params).containsOnlyKeys("entity_df", "features", "full_feature_names");
      assertThat(params.get("entity_df").getRowCount()).isEqualTo(5);
      assertThat(producer.batches.get(id + "/entity_df")).isEqualTo(3); // 5 rows in batches of 2
      assertThat(ParamTables.readStrings("features", params.get("features")))
          .containsExactly("stats:conv_rate");
      assertThat(ParamTables.readBool("full_feature_names", params.get("full_feature_names")))
          .isFalse();
      assertThat(producer.getStreamCalls.get()).isZero();
      assertThat(producer.getInfoCalls.get()).isZero();

      assertThat(job.schema().getFields())
          .extracting(Field::getName)
          .containsExactly("driver_id", "event_timestamp");
      assertThat(producer.getInfoCalls.get()).isEqualTo(1);
      assertThat(producer.getStreamCalls.get()).isZero();

      try (RecordBatchStream stream = job.stream()) {
        assertThat(stream.next()).isTrue();
        assertThat(producer.getStreamCalls.get()).isEqualTo(1);
        assertThat(producer.getInfoCalls.get()).as("the schema's info is reused").isEqualTo(1);
        assertThat(((BigIntVector) stream.root().getVector("driver_id")).get(4)).isEqualTo(1005L);
        assertThat(stream.next()).isFalse();
      }
    }
  }

  @Test
  void aJobRunsAgainUnderANewCommandAndNotAfterClose() {
    RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")));
    try (job) {
      try (VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getRowCount()).isEqualTo(5);
      }
      try (VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getRowCount()).isEqualTo(5);
      }
      assertThat(producer.getStreamCalls.get()).isEqualTo(2);
      assertThat(producer.received).hasSize(2);
    }
    assertThatThrownBy(job::stream)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theDoGetGoesToTheLocationTheEndpointNames() throws Exception {
    try (ScriptedProducer replica = producer.replica();
        FlightServer replicaServer =
            FlightServer.builder(allocator, Location.forGrpcInsecure("127.0.0.1", 0), replica)
                .build()
                .start()) {
      producer.locations = List.of(Location.forGrpcInsecure("127.0.0.1", replicaServer.getPort()));
      for (int run = 1; run <= 3; run++) {
        try (RetrievalJob job =
                store.getHistoricalFeatures(
                    HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")));
            VectorSchemaRoot result = job.toArrow(allocator)) {
          assertThat(result.getRowCount()).isEqualTo(5);
        }
        assertThat(producer.getInfoCalls.get())
            .as("no flight info asked: the put answers named the location")
            .isZero();
        assertThat(producer.getStreamCalls.get()).as("do_gets over it").isZero();
        assertThat(replica.getStreamCalls.get()).as("do_gets at the location").isEqualTo(run);
      }
    }
  }

  @Test
  void theFlightInfosLocationIsFollowedWhenThePutAnswersNameNone() throws Exception {
    try (ScriptedProducer replica = producer.replica();
        FlightServer replicaServer =
            FlightServer.builder(allocator, Location.forGrpcInsecure("127.0.0.1", 0), replica)
                .build()
                .start()) {
      producer.locations = List.of(Location.forGrpcInsecure("127.0.0.1", replicaServer.getPort()));
      producer.locationsInPutAnswers = false;
      try (RetrievalJob job =
          store.getHistoricalFeatures(
              HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")))) {
        assertThat(job.schema().getFields()).isNotEmpty(); // asks for the flight info
        try (VectorSchemaRoot result = job.toArrow(allocator)) {
          assertThat(result.getRowCount()).isEqualTo(5);
        }
      }
      assertThat(producer.getInfoCalls.get()).isEqualTo(1);
      assertThat(replica.getStreamCalls.get()).as("do_gets at the location").isEqualTo(1);
    }
  }

  @Test
  void noLocationItsOwnOrReuseConnectionKeepTheStoresConnection() {
    Location own = Location.forGrpcInsecure("127.0.0.1", server.getPort());
    Location ownAsGrpc = new Location(URI.create("grpc://127.0.0.1:" + server.getPort()));
    List<List<Location>> sameConnection =
        List.of(List.of(), List.of(own), List.of(ownAsGrpc), List.of(Location.reuseConnection()));
    for (List<Location> locations : sameConnection) {
      producer.locations = locations;
      int before = producer.getStreamCalls.get();
      try (RetrievalJob job =
              store.getHistoricalFeatures(
                  HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")));
          VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getRowCount()).isEqualTo(5);
      }
      assertThat(producer.getStreamCalls.get()).as(locations.toString()).isEqualTo(before + 1);
    }
  }

  @Test
  void aPlainClientIsNotSentToATlsLocation() {
    producer.locations = List.of(Location.forGrpcTls("replica-1.internal", 8815));
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")))) {
      assertThatThrownBy(() -> job.toArrow(allocator))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageContaining("grpc+tls://replica-1.internal:8815")
          .hasMessageContaining("--advertise");
      assertThat(producer.getStreamCalls.get()).isZero();
    }
  }

  @Test
  void anUnreachableAdvertisedLocationIsUnavailableAndNamed() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort(); // free once closed: nothing listens there
    }
    producer.locations = List.of(Location.forGrpcInsecure("127.0.0.1", port));
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")))) {
      assertThatThrownBy(() -> job.toArrow(allocator))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE))
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("--advertise");
    }
  }

  @Test
  void aRunThatFindsItsCommandGoneSendsItAgainOnTheNextRun() {
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate")))) {
      // As if the connection had moved to a replica that never received the puts.
      String id = producer.received.keySet().iterator().next();
      producer.received.remove(id).values().forEach(VectorSchemaRoot::close);
      assertThatThrownBy(() -> job.toArrow(allocator))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_COMMAND))
          .hasMessageContaining(id);
      try (VectorSchemaRoot result = job.toArrow(allocator)) {
        assertThat(result.getRowCount()).isEqualTo(5);
      }
      assertThat(producer.received).hasSize(1).doesNotContainKey(id);
    }
  }

  @Test
  void featureServiceIsSentInsteadOfFeatures() {
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            new HistoricalFeaturesRequest(
                entities, FeatureSelection.service("driver_activity"), true))) {
      Map<String, VectorSchemaRoot> params = producer.received.values().iterator().next();
      assertThat(params).containsOnlyKeys("entity_df", "feature_service", "full_feature_names");
      assertThat(ParamTables.readString("feature_service", params.get("feature_service")))
          .isEqualTo("driver_activity");
      assertThat(ParamTables.readBool("full_feature_names", params.get("full_feature_names")))
          .isTrue();
    }
  }

  @Test
  void serverErrorsBecomeFlightdeckExceptionsWithTheirCode() {
    try (RetrievalJob job =
        store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, List.of("missing:x")))) {
      assertThatThrownBy(() -> job.toArrow(allocator))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FEATURE_VIEW);
                assertThat(e.getMessage())
                    .isEqualTo("unknown feature view 'missing' (known: stats)");
              });
    }
  }

  @Test
  void anUnreachableServerIsUnavailable() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort(); // free once closed: nothing listens there
    }
    try (RemoteOfflineStore unreachable = new RemoteOfflineStore("127.0.0.1", port, allocator)) {
      assertThatThrownBy(
              () ->
                  unreachable.getHistoricalFeatures(
                      HistoricalFeaturesRequest.of(entities, List.of("stats:conv_rate"))))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE));
    }
  }
}
