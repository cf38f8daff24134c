package dev.flightdeck.bench;

import dev.flightdeck.client.RemoteOfflineStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Many clients at once, each with its own connection, each sending small entity tables back to back
 * (a closed loop) until the time is up. A request that started in time is waited for; the rate
 * counts every finished request over the time from the first start to the last finish.
 */
final class ConcurrentClients {
  /** How long requests still running at the end may take to finish. */
  private static final Duration DRAIN = Duration.ofMinutes(5);

  /**
   * @param errors requests that failed or returned the wrong number of rows
   * @param firstError what the first of them said
   */
  record Result(Latencies latencies, double seconds, long errors, String firstError) {
    double requestsPerSecond() {
      return latencies.count() / seconds;
    }
  }

  private ConcurrentClients() {}

  static Result run(
      String host,
      int port,
      BenchData data,
      int clients,
      int minRows,
      int maxRows,
      Duration duration,
      BufferAllocator allocator)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CountDownLatch connected = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    AtomicLong deadline = new AtomicLong();
    List<Future<ClientRun>> runs = new ArrayList<>();
    for (int client = 0; client < clients; client++) {
      int stream = client + 1;
      runs.add(
          pool.submit(
              () -> {
                RemoteOfflineStore connection;
                try {
                  connection = new RemoteOfflineStore(host, port, allocator);
                } finally {
                  connected.countDown(); // even when it failed, so the run does not wait forever
                }
                try (RemoteOfflineStore store = connection) {
                  go.await();
                  return ClientRun.loop(
                      store, data, stream, minRows, maxRows, deadline.get(), allocator);
                }
              }));
    }
    connected.await();
    long start = System.nanoTime();
    deadline.set(start + duration.toNanos());
    go.countDown();
    pool.shutdown();
    if (!pool.awaitTermination(duration.plus(DRAIN).toMillis(), TimeUnit.MILLISECONDS)) {
      pool.shutdownNow();
      throw new IllegalStateException(
          "concurrent clients still running " + DRAIN + " after the end of the run");
    }
    long end = 0;
    long errors = 0;
    String firstError = null;
    List<long[]> latencies = new ArrayList<>();
    for (Future<ClientRun> future : runs) {
      ClientRun run;
      try {
        run = future.get(0, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("a client could not run: " + e.getMessage(), e);
      }
      end = Math.max(end, run.lastFinish());
      errors += run.errors();
      if (firstError == null) {
        firstError = run.firstError();
      }
      latencies.add(run.latencies());
    }
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
    return new Result(new Latencies(all), (end - start) / 1e9, errors, firstError);
  }

  /** One client's requests: latencies of those that succeeded, the failures counted. */
  private record ClientRun(long[] latencies, long lastFinish, long errors, String firstError) {
    static ClientRun loop(
        RemoteOfflineStore store,
        BenchData data,
        int stream,
        int minRows,
        int maxRows,
        long deadline,
        BufferAllocator allocator) {
      long[] latencies = new long[64];
      int done = 0;
      long errors = 0;
      String firstError = null;
      long lastFinish = System.nanoTime();
      for (long request = 0; System.nanoTime() < deadline; request++) {
        int rows = data.smallRequestRows(stream, request, minRows, maxRows);
        try (VectorSchemaRoot entities = data.smallEntities(stream, request, rows, allocator)) {
          TimedResult result = RemoteRetrieval.run(store, entities);
          if (result.summary().rows() != rows) {
            throw new IllegalStateException(
                rows + " entity rows answered with " + result.summary().rows() + " rows");
          }
          if (done == latencies.length) {
            latencies = Arrays.copyOf(latencies, done * 2);
          }
          latencies[done++] = result.nanos();
        } catch (RuntimeException e) {
          errors++;
          if (firstError == null) {
            firstError = e.getMessage();
          }
        }
        lastFinish = System.nanoTime();
      }
      return new ClientRun(Arrays.copyOf(latencies, done), lastFinish, errors, firstError);
    }
  }
}
