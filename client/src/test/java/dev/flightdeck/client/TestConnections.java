package dev.flightdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flight.FlightEndpoint;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which connection an endpoint is fetched over; gRPC connects lazily, so no server is needed. */
class TestConnections {
  private static final Location OWN = Location.forGrpcInsecure("balancer.internal", 8815);

  private BufferAllocator allocator;
  private Connections connections;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    connections = new Connections(OWN, ClientOptions.defaults(), allocator);
  }

  @AfterEach
  void tearDown() {
    connections.close();
    allocator.close(); // fails the test on a leak
  }

  @Test
  void anEndpointWithoutAnotherLocationUsesTheOwnConnection() {
    for (Location same :
        List.of(
            OWN,
            new Location(URI.create("grpc://balancer.internal:8815")),
            Location.reuseConnection())) {
      try (Connections.Lease lease = connections.forEndpoint(endpoint(same))) {
        assertThat(lease.client()).as(same.toString()).isSameAs(connections.client());
      }
    }
    try (Connections.Lease lease = connections.forEndpoint(endpoint())) {
      assertThat(lease.client()).isSameAs(connections.client());
    }
    assertThat(connections.otherLocations()).isEmpty();
  }

  @Test
  void anotherLocationGetsOneConnectionKeptForTheNextStreams() {
    Location replica = Location.forGrpcInsecure("replica-1.internal", 8815);
    Connections.Lease first = connections.forEndpoint(endpoint(replica));
    Connections.Lease second =
        connections.forEndpoint(
            endpoint(new Location(URI.create("grpc://replica-1.internal:8815"))));
    assertThat(first.client()).isNotSameAs(connections.client()).isSameAs(second.client());
    first.close();
    second.close();
    try (Connections.Lease again = connections.forEndpoint(endpoint(replica))) {
      assertThat(again.client()).isSameAs(first.client());
    }
    assertThat(connections.otherLocations()).containsExactly(replica.getUri());
  }

  @Test
  void keptConnectionsAreBoundedAndABusyOneIsNeverClosed() {
    List<Connections.Lease> busy = new ArrayList<>();
    for (int i = 1; i <= Connections.MAX_OTHER_LOCATIONS; i++) {
      busy.add(connections.forEndpoint(endpoint(replica(i))));
    }
    // Every kept connection has a stream: the next location's connection serves its stream only.
    Location extra = replica(Connections.MAX_OTHER_LOCATIONS + 1);
    try (Connections.Lease single = connections.forEndpoint(endpoint(extra))) {
      assertThat(busy).noneMatch(lease -> lease.client() == single.client());
    }
    assertThat(connections.otherLocations()).hasSize(Connections.MAX_OTHER_LOCATIONS);
    assertThat(connections.otherLocations()).doesNotContain(extra.getUri());

    // Once replica 2's stream is done, it is the one a new location replaces.
    busy.get(1).close();
    try (Connections.Lease kept = connections.forEndpoint(endpoint(extra))) {
      assertThat(connections.otherLocations())
          .hasSize(Connections.MAX_OTHER_LOCATIONS)
          .contains(extra.getUri(), replica(1).getUri())
          .doesNotContain(replica(2).getUri());
    }
    busy.forEach(Connections.Lease::close);
  }

  @Test
  void aLocationOfAnotherProtocolOrTlsIsRefused() {
    for (Location refused :
        List.of(
            Location.forGrpcTls("replica-1.internal", 8815),
            Location.forGrpcDomainSocket("/tmp/flightdeck.sock"))) {
      assertThatThrownBy(() -> connections.forEndpoint(endpoint(refused)))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageContaining(refused.getUri().toString())
          .hasMessageContaining("--advertise");
    }
  }

  @Test
  void aTlsClientDoesNotDowngradeToPlainText() throws Exception {
    try (Connections tls =
        new Connections(
            Location.forGrpcTls("balancer.internal", 8815),
            ClientOptions.defaults().withTls(TlsOptions.systemTrust()),
            allocator)) {
      assertThatThrownBy(() -> tls.forEndpoint(endpoint(replica(1))))
          .hasMessageContaining("in plain text, but this client connects over TLS");
      try (Connections.Lease lease =
          tls.forEndpoint(endpoint(Location.forGrpcTls("replica-1.internal", 8815)))) {
        assertThat(lease.client()).isNotSameAs(tls.client());
      }
    }
  }

  private static Location replica(int i) {
    return Location.forGrpcInsecure("replica-" + i + ".internal", 8815);
  }

  private static FlightEndpoint endpoint(Location... locations) {
    return new FlightEndpoint(
        new Ticket("00000000-0000-0000-0000-000000000000".getBytes(StandardCharsets.UTF_8)),
        locations);
  }
}
