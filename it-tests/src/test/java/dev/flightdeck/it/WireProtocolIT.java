package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RetrievalJob;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wire contract of {@code docs/protocol.md}, spoken by a plain Flight client with no Flightdeck
 * code: what any language's Flight library must be able to do against the reference server.
 */
class WireProtocolIT {
  private static final List<String> FEATURES =
      List.of("driver_hourly_stats:conv_rate", "customer_profile:current_balance");

  private BufferAllocator allocator;
  private FlightdeckServer server;
  private FlightClient client;
  private RawPuts puts;

  @BeforeEach
  void startServer() {
    allocator = new RootAllocator();
    server =
        FlightdeckServer.forRepository(
                ExampleRepository.directory(), allocator, ServerConfig.defaults().withPort(0))
            .start();
    client = FlightClient.builder(allocator, server.location()).build();
    puts = new RawPuts(client, allocator);
  }

  @AfterEach
  void stopServer() throws Exception {
    client.close();
    server.close();
    allocator.close();
  }

  @Test
  void documentedCallShapeReturnsWhatTheLocalStoreReturns() throws Exception {
    String command = UUID.randomUUID().toString();
    FlightDescriptor descriptor = FlightDescriptor.command(command.getBytes(UTF_8));
    try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, 5)) {
      puts.put(command, "get_historical_features", "entity_df", entities);
      try (VectorSchemaRoot features =
              TestTable.with(allocator)
                  .string("features")
                  .row(FEATURES.get(0))
                  .row(FEATURES.get(1))
                  .build();
          VectorSchemaRoot fullNames =
              TestTable.with(allocator).bool("full_feature_names").row(true).build()) {
        puts.put(command, "get_historical_features", "features", features);
        puts.put(command, "get_historical_features", "full_feature_names", fullNames);
      }

      FlightInfo info = client.getInfo(descriptor);
      assertThat(info.getEndpoints()).hasSize(1);
      assertThat(new String(info.getEndpoints().get(0).getTicket().getBytes(), UTF_8))
          .isEqualTo(command);
      // Without serve --advertise the endpoint names no location: fetch over this connection.
      assertThat(info.getEndpoints().get(0).getLocations()).isEmpty();
      assertThat(info.getOrdered()).as("rows come back in the entity table's order").isTrue();

      List<List<Object>> rows = new ArrayList<>();
      Ticket ticket = new Ticket(command.getBytes(UTF_8));
      try (FlightStream stream = client.getStream(ticket)) {
        assertThat(stream.getSchema()).isEqualTo(info.getSchema());
        while (stream.next()) {
          rows.addAll(TableRows.of(stream.getRoot()));
        }
      }
      try (OfflineStore local =
              OfflineStoreRegistry.discover().open(ExampleRepository.directory(), allocator);
          RetrievalJob job =
              local.getHistoricalFeatures(
                  HistoricalFeaturesRequest.of(entities, FEATURES).withFullFeatureNames(true));
          VectorSchemaRoot expected = job.toArrow(allocator)) {
        assertThat(info.getSchema()).isEqualTo(expected.getSchema());
        assertThat(rows).isEqualTo(TableRows.of(expected));
      }

      FlightRuntimeException again =
          catchThrowableOfType(FlightRuntimeException.class, () -> drain(ticket));
      assertThat(again.status().code()).isEqualTo(FlightStatusCode.NOT_FOUND);
      assertThat(again.status().description()).contains(command);
    }
  }

  @Test
  void serverChecksFeatureReferencesItself() throws Exception {
    String command = UUID.randomUUID().toString();
    FlightDescriptor descriptor = FlightDescriptor.command(command.getBytes(UTF_8));
    try (VectorSchemaRoot entities = ExampleRepository.entityGrid(allocator, 1);
        VectorSchemaRoot features =
            TestTable.with(allocator).string("features").row("conv_rate").build()) {
      puts.put(command, "get_historical_features", "entity_df", entities);
      puts.put(command, "get_historical_features", "features", features);
    }
    FlightRuntimeException error =
        catchThrowableOfType(FlightRuntimeException.class, () -> client.getInfo(descriptor));
    assertThat(error.status().code()).isEqualTo(FlightStatusCode.INVALID_ARGUMENT);
    assertThat(error.status().description()).contains("'conv_rate'");
  }

  private long drain(Ticket ticket) throws Exception {
    long rows = 0;
    try (FlightStream stream = client.getStream(ticket)) {
      while (stream.next()) {
        rows += stream.getRoot().getRowCount();
      }
    }
    return rows;
  }
}
