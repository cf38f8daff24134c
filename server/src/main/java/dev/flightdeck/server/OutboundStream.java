package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.audit.CallAudit;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.vector.FieldVector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One do_get's result on its way to the client, sent without ever blocking a thread on the client:
 * a streaming thread sends batches while gRPC says the client can take them, then returns to its
 * pool; gRPC's on-ready callback schedules it again. A client that stops reading costs memory for
 * its unsent result, never a thread, and is dropped after the client read timeout.
 *
 * <p>Exactly one thread at a time owns the stream's state: whoever set {@link #scheduled}.
 */
final class OutboundStream {
  private static final Logger log = LoggerFactory.getLogger(OutboundStream.class);

  /** Batches sent before the thread lets other streams have a turn. */
  private static final int BATCHES_PER_TURN = 16;

  private final PendingCommand command;
  private final ApiHandler handler;
  private final ServerStreamListener listener;
  private final Executor executor;
  private final ScheduledExecutorService timer;
  private final Duration readTimeout;
  private final Optional<CallAudit> audit;
  private final Runnable onEnd;
  private final String call;

  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean cancelled;
  private volatile String stopReason;
  private volatile boolean timedOut;
  private volatile long lastSentNanos = System.nanoTime();

  // Owned by the thread that holds `scheduled`.
  private RetrievalJob job;
  private RecordBatchStream stream;
  private ScheduledFuture<?> readAlarm;
  private volatile boolean finished;

  OutboundStream(
      PendingCommand command,
      ApiHandler handler,
      ServerStreamListener listener,
      Executor executor,
      ScheduledExecutorService timer,
      Duration readTimeout,
      Optional<CallAudit> audit,
      Runnable onEnd) {
    this.command = requireNonNull(command, "command is null");
    this.handler = requireNonNull(handler, "handler is null");
    this.listener = requireNonNull(listener, "listener is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.timer = requireNonNull(timer, "timer is null");
    this.readTimeout = requireNonNull(readTimeout, "readTimeout is null");
    this.audit = requireNonNull(audit, "audit is null");
    this.onEnd = requireNonNull(onEnd, "onEnd is null");
    this.call = command.api().wireName() + " for command " + command.id();
  }

  /** Starts the stream: the join runs on a streaming thread, later. */
  void start() {
    listener.setOnCancelHandler(
        () -> {
          cancelled = true;
          wake();
        });
    listener.setOnReadyHandler(this::wake);
    scheduled.set(true);
    executor.execute(this::run);
  }

  /** Ends the stream with UNAVAILABLE at its next turn (the server is stopping). */
  void stop(String reason) {
    stopReason = reason;
    wake();
  }

  boolean finished() {
    return finished;
  }

  private void wake() {
    if (!finished && scheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::run);
      } catch (RejectedExecutionException e) {
        // The pool is gone (forced shutdown): end here; nothing else can own the state now.
        fail(new FlightdeckException(ErrorCode.SERVER_UNAVAILABLE, "the server is shutting down"));
      }
    }
  }

  private void run() {
    while (true) {
      boolean yielded = turn();
      if (finished) {
        return;
      }
      if (yielded) {
        try {
          executor.execute(this::run); // still scheduled: continue after other streams' turns
        } catch (RejectedExecutionException e) {
          fail(
              new FlightdeckException(ErrorCode.SERVER_UNAVAILABLE, "the server is shutting down"));
        }
        return;
      }
      scheduled.set(false);
      // A wake between the last check and the release would be lost: look once more.
      boolean more = listener.isReady() || cancelled || timedOut || stopReason != null;
      if (!more || !scheduled.compareAndSet(false, true)) {
        return;
      }
    }
  }

  /** Sends what the client can take now; true if it stopped only to let others have a turn. */
  private boolean turn() {
    try {
      if (cancelled || listener.isCancelled()) {
        log.debug("{} was cancelled by the client", call);
        finish();
        return false;
      }
      if (timedOut) {
        fail(
            new FlightdeckException(
                ErrorCode.SERVER_UNAVAILABLE,
                call
                    + ": the client read nothing for "
                    + readTimeout
                    + " (--client-read-timeout); the stream was dropped"));
        return false;
      }
      if (stopReason != null) {
        fail(new FlightdeckException(ErrorCode.SERVER_UNAVAILABLE, call + ": " + stopReason));
        return false;
      }
      if (stream == null) {
        job = handler.open(command.params());
        stream = job.stream();
        listener.start(stream.root());
      }
      for (int sent = 0; listener.isReady(); sent++) {
        if (sent == BATCHES_PER_TURN) {
          return true;
        }
        if (!stream.next()) {
          listener.completed();
          finish();
          return false;
        }
        listener.putNext();
        lastSentNanos = System.nanoTime();
        audit.ifPresent(a -> a.sent(stream.root().getRowCount(), batchBytes()));
      }
      armReadAlarm();
      return false;
    } catch (Throwable e) {
      if (cancelled || listener.isCancelled()) {
        log.debug("{} was cancelled by the client", call);
        finish();
      } else {
        listener.error(ServerErrors.toFlight(call, e));
        finish();
      }
      return false;
    }
  }

  /** The client is not reading: drop the stream if it stays so for the read timeout. */
  private void armReadAlarm() {
    if (readAlarm != null && !readAlarm.isDone()) {
      return;
    }
    long sentAt = lastSentNanos;
    readAlarm =
        timer.schedule(
            () -> {
              if (!finished && lastSentNanos == sentAt && !listener.isReady()) {
                timedOut = true;
                wake();
              } else if (!finished) {
                wake(); // progress since: look again, which re-arms if still stuck
              }
            },
            readTimeout.toNanos(),
            TimeUnit.NANOSECONDS);
  }

  private long batchBytes() {
    long bytes = 0;
    for (FieldVector vector : stream.root().getFieldVectors()) {
      bytes += vector.getBufferSize();
    }
    return bytes;
  }

  private void fail(FlightdeckException error) {
    try {
      listener.error(FlightErrors.toFlight(error));
    } finally {
      finish();
    }
  }

  /** Frees everything once, however the stream ended. */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (readAlarm != null) {
      readAlarm.cancel(false);
    }
    try (AutoCloseable closeCommand = command;
        AutoCloseable closeJob = job;
        AutoCloseable closeStream = stream) {
      // closed in reverse order: the stream, the job, then the command's params
    } catch (Exception e) {
      log.warn("Closing {} failed", call, e);
    } finally {
      onEnd.run();
    }
  }
}
