package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.flight.BackpressureStrategy;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams results on threads of its own. getStream hands over and returns at once: blocking the
 * gRPC callback thread would also block the onReady callback that backpressure waits for (a
 * deadlock).
 */
public final class ResultStreamer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ResultStreamer.class);

  private final ExecutorService executor;
  private final Duration clientReadTimeout;

  @Inject
  public ResultStreamer(ServerConfig config) {
    requireNonNull(config, "config is null");
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
   * it ends.
   */
  public void submit(PendingCommand command, ApiHandler handler, ServerStreamListener listener) {
    try {
      executor.execute(() -> run(command, handler, listener));
    } catch (RejectedExecutionException e) {
      command.close();
      listener.error(
          FlightErrors.toFlight(
              new FlightdeckException(
                  ErrorCode.SERVER_UNAVAILABLE, "the server is shutting down")));
    }
  }

  private void run(PendingCommand command, ApiHandler handler, ServerStreamListener listener) {
    String call = command.api().wireName() + " for command " + command.id();
    try (command;
        RetrievalJob job = handler.open(command.params());
        RecordBatchStream stream = job.stream()) {
      BackpressureStrategy backpressure = new BackpressureStrategy.CallbackBackpressureStrategy();
      backpressure.register(listener);
      listener.start(stream.root());
      long batches = 0;
      while (stream.next()) {
        if (!awaitReady(backpressure, listener, call)) {
          return;
        }
        listener.putNext();
        batches++;
      }
      listener.completed();
      log.debug("Streamed {} in {} batches", call, batches);
    } catch (Throwable e) {
      if (listener.isCancelled()) {
        log.debug("{} was cancelled by the client", call);
      } else {
        listener.error(ServerErrors.toFlight(call, e));
      }
    }
  }

  /**
   * True once the client can take more; false (and the stream ended) if it cancelled or stalled.
   */
  private boolean awaitReady(
      BackpressureStrategy backpressure, ServerStreamListener listener, String call) {
    BackpressureStrategy.WaitResult result =
        backpressure.waitForListener(clientReadTimeout.toMillis());
    switch (result) {
      case READY:
        return true;
      case CANCELLED:
        log.debug("{} was cancelled by the client", call);
        return false;
      case TIMEOUT:
        listener.error(
            FlightErrors.toFlight(
                new FlightdeckException(
                    ErrorCode.SERVER_UNAVAILABLE,
                    call
                        + ": the client read nothing for "
                        + clientReadTimeout
                        + "; the stream was dropped")));
        return false;
      default:
        throw new FlightdeckException(
            ErrorCode.INTERNAL_ERROR, call + ": waiting for the client failed (" + result + ")");
    }
  }

  @Override
  public void close() throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
      // Streams still running after the Flight server stopped have no client left: interrupt them.
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }
}
