package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.audit.CallAudit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams results on threads of its own, as {@link OutboundStream}s that never wait for a client.
 * getStream hands over and returns at once: blocking the gRPC callback thread would also block the
 * on-ready callback that flow control needs (a deadlock).
 */
public final class ResultStreamer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultStreamer.class);

  private final ExecutorService executor;
  private final ScheduledExecutorService timer;
  private final Duration clientReadTimeout;
  private final Set<OutboundStream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  @Inject
  public ResultStreamer(ServerConfig config, ScheduledExecutorService timer) {
    requireNonNull(config, "config is null");
    this.timer = requireNonNull(timer, "timer is null");
    this.clientReadTimeout = config.clientReadTimeout();
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            config.streamThreads(),
            runnable -> {
              Thread thread =
                  new Thread(runnable, "flightdeck-stream-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Runs {@code command} with {@code handler} and streams the result to {@code listener}, later, on
   * a streaming thread. Takes ownership of the command: it is closed when the stream ends, however
   * it ends, and then {@code onEnd} runs.
   */
  public void submit(
      PendingCommand command,
      ApiHandler handler,
      ServerStreamListener listener,
      Optional<CallAudit> audit,
      Runnable onEnd) {
    OutboundStream[] self = {null};
    OutboundStream stream =
        new OutboundStream(
            command,
            handler,
            listener,
            executor,
            timer,
            clientReadTimeout,
            audit,
            () -> {
              open.remove(self[0]);
              onEnd.run();
            });
    self[0] = stream;
    if (draining) {
      refuse(command, listener, onEnd);
      return;
    }
    open.add(stream);
    try {
      stream.start();
    } catch (RejectedExecutionException e) {
      open.remove(stream);
      refuse(command, listener, onEnd);
    }
  }

  private static void refuse(
      PendingCommand command, ServerStreamListener listener, Runnable onEnd) {
    command.close();
    onEnd.run();
    listener.error(
        FlightErrors.toFlight(
            new FlightdeckException(ErrorCode.SERVER_UNAVAILABLE, "the server is shutting down")));
  }

  /** Streams running now. */
  public int openStreams() {
    return open.size();
  }

  /**
   * Takes no new streams and waits up to {@code grace} for running ones to finish; those still
   * running then are ended with UNAVAILABLE. Returns how many had to be ended.
   */
  public int drain(Duration grace) throws InterruptedException {
    draining = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    List<OutboundStream> left = List.copyOf(open);
    left.forEach(stream -> stream.stop("the server is shutting down"));
    if (!left.isEmpty()) {
      log.warn("{} result streams did not finish within {}; they were ended", left.size(), grace);
    }
    return left.size();
  }

  @Override
  public void close() throws InterruptedException {
    draining = true;
    List.copyOf(open).forEach(stream -> stream.stop("the server is shutting down"));
    executor.shutdown();
    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
      // Streams still running after the Flight server stopped have no client left: interrupt them.
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
