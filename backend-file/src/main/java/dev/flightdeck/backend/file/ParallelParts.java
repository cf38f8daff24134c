package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.IntConsumer;

/**
 * Runs the parts of one in-memory job on the calling thread and an executor together, and returns
 * when all are done. The caller must not be one of the executor's threads.
 */
final class ParallelParts {
  private ParallelParts() {}

  /** Runs {@code part} for 0 to {@code parts} - 1; part 0, and any the executor refuses, here. */
  static void run(int parts, IntConsumer part, ExecutorService executor, String what) {
    List<Future<?>> others = new ArrayList<>();
    int next = 1;
    try {
      for (; next < parts; next++) {
        int index = next;
        others.add(executor.submit(() -> part.accept(index)));
      }
    } catch (RejectedExecutionException e) {
      // The executor is shutting down: the parts not handed over run here.
    }
    part.accept(0);
    for (; next < parts; next++) {
      part.accept(next);
    }
    try {
      for (Future<?> other : others) {
        other.get();
      }
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(what + " failed", cause);
    } catch (InterruptedException e) {
      others.forEach(other -> other.cancel(true));
      Thread.currentThread().interrupt();
      throw new FlightdeckException(ErrorCode.SERVER_UNAVAILABLE, what + " was interrupted", e);
    }
  }
}
