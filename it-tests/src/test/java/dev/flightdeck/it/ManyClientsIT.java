package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandIds;
import dev.flightdeck.protocol.ParamTables;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.server.auth.TokenFile;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreRegistry;
import dev.flightdeck.spi.RetrievalJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 64 principals, each with its own bearer token and connection (a plain Flight client speaking
 * docs/protocol.md), each sending 50 retrievals at once with the others: every answer is exactly
 * the rows its own client asked for, in its order, with the values the store computes in-process
 * for them. A request's entity table is a prefix of its client's own rows (drivers, customers and
 * instants no other client uses together) and carries a tag column naming the client and the
 * request, echoed back unchanged, so any answer delivered to the wrong call or mixed with another
 * call's rows fails.
 */
class ManyClientsIT {
  private static final int CLIENTS = 64;
  private static final int REQUESTS = 50;
  private static final int ROWS = 24;
  private static final String API = Api.GET_HISTORICAL_FEATURES.wireName();
  private static final Instant START = Instant.parse("2023-12-31T20:00:00Z");
  private static final List<String> FEATURES =
      List.of(
          "driver_hourly_stats:conv_rate",
          "driver_hourly_stats:avg_daily_trips",
          "customer_profile:current_balance",
          "customer_profile:lifetime_trip_count");

  @TempDir Path work;
  private Path repository;
  private BufferAllocator serverAllocator;
  private BufferAllocator clientAllocator;
  private FlightdeckServer server;
  private final List<String> tokens = new ArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    StringBuilder file = new StringBuilder("tokens:\n");
    for (int client = 0; client < CLIENTS; client++) {
      String token = "client-" + client + "-" + TokenFile.sha256Hex("seed " + client);
      tokens.add(token);
      file.append("  - {principal: client-")
          .append(client)
          .append(", sha256: ")
          .append(TokenFile.sha256Hex(token))
          .append(", roles: [read]}\n");
    }
    Path tokenFile = work.resolve("tokens.yaml");
    Files.writeString(tokenFile, file, UTF_8);
    repository = work.resolve("repo");
    ExampleRepository.copyTo(repository);
    serverAllocator = new RootAllocator();
    clientAllocator = new RootAllocator();
    server =
        FlightdeckServer.forRepository(
                repository,
                serverAllocator,
                ServerConfig.defaults().withPort(0).withAuthTokens(tokenFile))
            .start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    serverAllocator.close(); // fails on memory a call did not give back
    clientAllocator.close();
  }

  @Test
  @Timeout(180)
  void sixtyFourPrincipalsGetExactlyTheirOwnRows() throws Exception {
    List<List<List<Object>>> expected = expectedAnswers();
    // One request first, so the server's view cache holds what it keeps between requests: the
    // memory after the run must come back to this.
    try (FlightClient warmUp = BearerWire.client(clientAllocator, server.port(), tokens.get(0))) {
      retrieve(warmUp, 0, rowsOf(0, 0), tag(0, 0));
    }
    long baseline = settledServerMemory();

    ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
    CountDownLatch ready = new CountDownLatch(CLIENTS);
    CountDownLatch go = new CountDownLatch(1);
    Queue<String> wrong = new ConcurrentLinkedQueue<>();
    AtomicLong answered = new AtomicLong();
    List<Future<?>> clients = new ArrayList<>();
    long started;
    try {
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        clients.add(
            threads.submit(
                () -> {
                  try (FlightClient raw =
                      BearerWire.client(clientAllocator, server.port(), tokens.get(client))) {
                    ready.countDown();
                    go.await();
                    for (int request = 0; request < REQUESTS; request++) {
                      int rows = rowsOf(client, request);
                      long tag = tag(client, request);
                      List<List<Object>> answer = retrieve(raw, client, rows, tag);
                      List<List<Object>> asked = withTag(expected.get(client), rows, tag);
                      if (!answer.equals(asked)) {
                        wrong.add(
                            "client "
                                + client
                                + " request "
                                + request
                                + ": asked for\n"
                                + asked
                                + "\ngot\n"
                                + answer);
                      }
                      answered.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      assertThat(ready.await(60, TimeUnit.SECONDS)).as("64 clients connected").isTrue();
      started = System.nanoTime();
      go.countDown();
      for (Future<?> client : clients) {
        client.get(150, TimeUnit.SECONDS); // a client's failure is thrown here
      }
    } finally {
      threads.shutdownNow();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    System.out.printf(
        "ManyClientsIT: %d clients x %d requests answered in %s%n", CLIENTS, REQUESTS, took);

    assertThat(wrong).as("answers with another call's rows or values").isEmpty();
    assertThat(answered.get()).isEqualTo((long) CLIENTS * REQUESTS);
    // The last streams close on the server just after their clients have read them.
    Poll.until(
        "no open streams or puts",
        Duration.ofSeconds(10),
        () -> server.openStreams() == 0 && server.openPuts() == 0,
        () -> server.openStreams() + " streams, " + server.openPuts() + " puts open");
    awaitServerMemory(baseline);
  }

  /** The answer to each client's whole entity table, computed by the store in-process. */
  private List<List<List<Object>>> expectedAnswers() {
    List<List<List<Object>>> answers = new ArrayList<>();
    try (BufferAllocator local = new RootAllocator();
        OfflineStore store = OfflineStoreRegistry.discover().open(repository, local)) {
      for (int client = 0; client < CLIENTS; client++) {
        answers.add(retrieve(store, local, client, ROWS, 0L));
      }
    }
    // Each client's table is its own: no two clients ask the same rows.
    assertThat(answers.stream().distinct().count()).isEqualTo(CLIENTS);
    return answers;
  }

  private static List<List<Object>> retrieve(
      OfflineStore store, BufferAllocator allocator, int client, int rows, long tag) {
    try (VectorSchemaRoot entities = entities(allocator, client, rows, tag);
        RetrievalJob job =
            store.getHistoricalFeatures(HistoricalFeaturesRequest.of(entities, FEATURES));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      return TableRows.of(result);
    }
  }

  /**
   * One retrieval over the raw wire, as docs/protocol.md describes it: a do_put per parameter, then
   * the do_get; the answer's rows, all batches together.
   */
  private List<List<Object>> retrieve(FlightClient raw, int client, int rows, long tag) {
    String id = CommandIds.newId();
    try (VectorSchemaRoot entities = entities(clientAllocator, client, rows, tag);
        VectorSchemaRoot features =
            ParamTables.strings(Api.Param.FEATURES, FEATURES, clientAllocator)) {
      BearerWire.put(raw, clientAllocator, id, API, Api.Param.ENTITY_DF, entities);
      BearerWire.put(raw, clientAllocator, id, API, Api.Param.FEATURES, features);
    }
    List<List<Object>> answer = new ArrayList<>();
    try (FlightStream stream = raw.getStream(CommandIds.ticket(id))) {
      while (stream.next()) {
        answer.addAll(TableRows.of(stream.getRoot()));
      }
    } catch (Exception e) {
      throw new IllegalStateException("client " + client + ", command " + id, e);
    }
    return answer;
  }

  /**
   * The first {@code rows} of client {@code client}'s entity rows, each tagged with {@code tag}:
   * drivers 1001-1006 (1006 has no data) with customers 201-205 at instants across the data and
   * beyond it, where TTLs expire, each instant offset by the client's own number of seconds.
   */
  private static VectorSchemaRoot entities(
      BufferAllocator allocator, int client, int rows, long tag) {
    TestTable table =
        TestTable.with(allocator)
            .int64("request_tag")
            .int64("driver_id")
            .int64("customer_id")
            .timestamp("event_timestamp");
    for (int i = 0; i < rows; i++) {
      long driver = 1001 + (i + client) % 6;
      long customer = 201 + (i * 3 + client / 6) % 5;
      long minutes = (i * 97L + client * 41L) % (5 * 24 * 60);
      table.row(
          tag, driver, customer, START.plus(Duration.ofMinutes(minutes)).plusSeconds(client + 1));
    }
    return table.build();
  }

  /** {@code rows} rows of a client's expected answer, the tag column set to {@code tag}. */
  private static List<List<Object>> withTag(List<List<Object>> answer, int rows, long tag) {
    List<List<Object>> tagged = new ArrayList<>();
    for (List<Object> row : answer.subList(0, rows)) {
      List<Object> copy = new ArrayList<>(row);
      copy.set(0, tag);
      tagged.add(copy);
    }
    return tagged;
  }

  /** Between 1 and {@link #ROWS} rows, differing from one request to the next. */
  private static int rowsOf(int client, int request) {
    return 1 + (client * 7 + request * 11) % ROWS;
  }

  private static long tag(int client, int request) {
    return (client + 1) * 1_000L + request;
  }

  /**
   * The server's memory once the warm-up's stream thread has freed what it held: it closes the
   * command after the client has read the end of the stream, so a reading taken at once can be
   * high.
   */
  private long settledServerMemory() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long last = serverAllocator.getAllocatedMemory();
    int unchanged = 0;
    while (unchanged < 10 && System.nanoTime() < deadline) {
      Thread.sleep(20);
      long now = serverAllocator.getAllocatedMemory();
      unchanged = now == last ? unchanged + 1 : 0;
      last = now;
    }
    return last;
  }

  private void awaitServerMemory(long baseline) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (serverAllocator.getAllocatedMemory() != baseline && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(serverAllocator.getAllocatedMemory())
        .as("the server's memory after 3,200 requests")
        .isEqualTo(baseline);
  }
}
