package dev.flightdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.OfflineStoreRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestFlightdeckServer {
  private BufferAllocator allocator;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void tearDown() {
    allocator.close(); // fails the test on a leak
  }

  @Test
  void servesARepositoryThroughAnExplicitRegistry(@TempDir Path repo) throws Exception {
    Files.writeString(
        repo.resolve("feature_store.yaml"),
        """
        project: server_test
        offline_store: {type: fake}
        entities: [{name: driver, join_keys: [driver_id]}]
        data_sources: [{name: drivers, path: data/drivers, timestamp_field: ts}]
        feature_views:
          - {name: stats, entities: [driver], source: drivers, schema: [{name: conv_rate, dtype: float32}]}
        """);
    try (FlightdeckServer server =
        FlightdeckServer.forRepository(
            repo,
            OfflineStoreRegistry.of(new FakeStoreFactory()),
            allocator,
            ServerConfig.defaults().withPort(0))) {
      server.start();
      assertThat(server.port()).isPositive();
      assertThat(server.location().getUri().toString())
          .isEqualTo("grpc+tcp://127.0.0.1:" + server.port());
      assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closesCleanlyWithoutStarting() throws Exception {
    FlightdeckServer.forStore(
            new FakeOfflineStore(allocator), allocator, ServerConfig.defaults().withPort(0))
        .close();
  }

  @Test
  void aBusyPortIsAClearError() throws Exception {
    try (FlightdeckServer first =
            FlightdeckServer.forStore(
                    new FakeOfflineStore(allocator), allocator, ServerConfig.defaults().withPort(0))
                .start();
        FlightdeckServer second =
            FlightdeckServer.forStore(
                new FakeOfflineStore(allocator),
                allocator,
                ServerConfig.defaults().withPort(first.port()))) {
      assertThatThrownBy(second::start)
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
          .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
    }
  }

  @Test
  void aBrokenRepositoryFreesWhatWasAllocated(@TempDir Path repo) {
    assertThatThrownBy(
            () ->
                FlightdeckServer.forRepository(
                    repo,
                    OfflineStoreRegistry.of(new FakeStoreFactory()),
                    allocator,
                    ServerConfig.defaults().withPort(0)))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining("feature_store.yaml");
  }
}
