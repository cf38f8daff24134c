package dev.flightdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandHeader;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.ParamTables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestPendingCommands {
  private static final String OWNER = "alice";

  private final MutableClock clock = new MutableClock();
  private BufferAllocator allocator;
  private PendingCommands pending;

  @BeforeEach
  void setUp() {
    allocator = new RootAllocator();
    pending =
        new PendingCommands(
            allocator,
            ServerConfig.defaults()
                .withPendingCommandTtl(Duration.ofMinutes(10))
                // 200 concurrent commands of one owner below; LimitsIT tests the limit itself.
                .withLimits(Limits.defaults().withCommandsPerPrincipal(1_000)),
            clock);
  }

  @AfterEach
  void tearDown() {
    pending.close();
    allocator.close(); // fails the test on a leak
  }

  @Test
  void anotherPrincipalCannotSeeUseOrExtendACommand() {
    String id = CommandIds.newId();
    put(id, "features", "first:one");

    for (Runnable attempt :
        List.<Runnable>of(
            () -> pending.take(id, "mallory"),
            () -> pending.inspect(id, "mallory", command -> command.api()),
            () ->
                pending.receive(
                    new CommandHeader(id, Api.GET_HISTORICAL_FEATURES, "full_feature_names"),
                    "mallory",
                    child -> ParamTables.strings("full_feature_names", List.of("x"), child)))) {
      assertThatThrownBy(attempt::run)
          .isInstanceOf(FlightdeckException.class)
          .extracting(e -> ((FlightdeckException) e).code())
          .isEqualTo(ErrorCode.UNKNOWN_COMMAND);
    }
    try (PendingCommand command = pending.take(id, OWNER)) {
      assertThat(command.params()).containsOnlyKeys("features"); // nothing of mallory's
    }
  }

  @Test
  void concurrentPutsForDistinctCommandsAreKeptApart() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(8);
    List<String> ids = new ArrayList<>();
    List<Future<?>> puts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String id = CommandIds.newId();
      ids.add(id);
      String value = "view:feature_" + i;
      puts.add(executor.submit(() -> put(id, Api.Param.FEATURES, value)));
      puts.add(executor.submit(() -> put(id, Api.Param.FEATURE_SERVICE, "service_" + value)));
    }
    for (Future<?> put : puts) {
      put.get(30, TimeUnit.SECONDS);
    }
    executor.shutdown();

    assertThat(pending.size()).isEqualTo(200);
    for (int i = 0; i < ids.size(); i++) {
      try (PendingCommand command = pending.take(ids.get(i), OWNER)) {
        assertThat(
                ParamTables.readStrings(
                    Api.Param.FEATURES, command.params().get(Api.Param.FEATURES)))
            .containsExactly("view:feature_" + i);
        assertThat(command.params())
            .containsOnlyKeys(Api.Param.FEATURES, Api.Param.FEATURE_SERVICE);
      }
    }
    assertThat(pending.size()).isZero();
  }

  @Test
  void takeRemovesTheCommand() {
    String id = CommandIds.newId();
    put(id, Api.Param.FEATURES, "a:b");
    pending.take(id, OWNER).close();

    assertThatThrownBy(() -> pending.take(id, OWNER))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining(id)
        .extracting(e -> ((FlightdeckException) e).code())
        .isEqualTo(ErrorCode.UNKNOWN_COMMAND);
  }

  @Test
  void duplicateParamIsRefusedAndTheFirstKept() {
    String id = CommandIds.newId();
    put(id, Api.Param.FEATURES, "first:one");

    assertThatThrownBy(() -> put(id, Api.Param.FEATURES, "second:one"))
        .isInstanceOf(FlightdeckException.class)
        .hasMessageContaining("'features'")
        .extracting(e -> ((FlightdeckException) e).code())
        .isEqualTo(ErrorCode.DUPLICATE_PARAMETER);
    try (PendingCommand command = pending.take(id, OWNER)) {
      assertThat(
              ParamTables.readStrings(Api.Param.FEATURES, command.params().get(Api.Param.FEATURES)))
          .containsExactly("first:one");
    }
  }

  @Test
  void idleCommandsExpireAndFreeTheirMemory() {
    String stale = CommandIds.newId();
    put(stale, Api.Param.FEATURES, "a:b");
    clock.advance(Duration.ofMinutes(6));
    String fresh = CommandIds.newId();
    put(fresh, Api.Param.FEATURES, "a:b");
    long before = allocator.getAllocatedMemory();

    clock.advance(Duration.ofMinutes(5));
    assertThat(pending.expireIdle()).isEqualTo(1);

    assertThat(allocator.getAllocatedMemory()).isLessThan(before);
    assertThatThrownBy(() -> pending.take(stale, OWNER)).hasMessageContaining(stale);
    pending.take(fresh, OWNER).close();
  }

  @Test
  void failedReadReleasesTheReservation() {
    String id = CommandIds.newId();
    CommandHeader header = new CommandHeader(id, Api.GET_HISTORICAL_FEATURES, Api.Param.FEATURES);
    assertThatThrownBy(
            () ->
                pending.receive(
                    header,
                    OWNER,
                    child -> {
                      throw new IllegalStateException("stream broke");
                    }))
        .hasMessage("stream broke");

    put(id, Api.Param.FEATURES, "a:b");
    pending.take(id, OWNER).close();
  }

  @Test
  void putOnATakenCommandIsRefusedAndFreed() {
    String id = CommandIds.newId();
    put(id, Api.Param.FEATURES, "a:b");
    PendingCommand taken = pending.take(id, OWNER);
    taken.close();

    // A new put for the same id starts a new command: the old one is gone for good.
    put(id, Api.Param.FEATURES, "c:d");
    try (PendingCommand command = pending.take(id, OWNER)) {
      assertThat(
              ParamTables.readStrings(Api.Param.FEATURES, command.params().get(Api.Param.FEATURES)))
          .containsExactly("c:d");
    }
  }

  private void put(String id, String param, String value) {
    pending.receive(
        new CommandHeader(id, Api.GET_HISTORICAL_FEATURES, param),
        OWNER,
        child -> ParamTables.strings(param, List.of(value), child));
  }
}
