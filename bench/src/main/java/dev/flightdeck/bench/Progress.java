package dev.flightdeck.bench;

import java.io.PrintStream;

/**
 * One line per step on stderr, with the time since the bench started: a long run shows where it is.
 */
final class Progress {
  private final PrintStream err;
  private final long start = System.nanoTime();

  Progress(PrintStream err) {
    this.err = err;
  }

  void step(String format, Object... args) {
    err.printf("[%7.1f s] %s%n", elapsedSeconds(), String.format(format, args));
    err.flush();
  }

  double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }
}
