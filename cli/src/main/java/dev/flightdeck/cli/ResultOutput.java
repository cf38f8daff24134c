package dev.flightdeck.cli;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.TableFiles;
import dev.flightdeck.tables.TableFiles.Format;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;
import picocli.CommandLine.Option;

/**
 * The {@code --out} of a command that fetches data, and the streaming of a job's result into it,
 * batch by batch: a file (format by extension) or {@code -} for stdout. A progress line goes to
 * stderr while rows arrive; the summary goes to stdout, or to stderr when stdout carries the data.
 */
final class ResultOutput {
  static final String STDOUT = "-";

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Where to write the result: *.parquet, *.csv, *.arrow or *.feather (Arrow IPC), "
              + "or - for stdout.")
  String out;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "csv or arrow (an Arrow IPC stream) when --out is -; default csv. For a file, the "
              + "extension decides.")
  Optional<String> format;

  @Option(
      names = "--persist",
      paramLabel = "NAME",
      description =
          "Instead of --out: store the result on the server under NAME (RetrievalJob.persist;"
              + " a file in the backend's output_dir, or a table).")
  String persist;

  @Option(
      names = "--allow-overwrite",
      description = "With --persist: replace what NAME already holds.")
  boolean allowOverwrite;

  private final OutputStream stdoutBytes;

  ResultOutput() {
    this(System.out);
  }

  ResultOutput(OutputStream stdoutBytes) {
    this.stdoutBytes = stdoutBytes;
  }

  /** Checks {@code --out} and {@code --format} before the server does any work. */
  void check() {
    if ((out == null) == (persist == null)) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "name where the result goes: --out FILE (or - for stdout), or --persist NAME");
    }
    if (persist != null) {
      if (format.isPresent()) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER, "--format is for --out -, not --persist");
      }
      return;
    }
    if (allowOverwrite) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER, "--allow-overwrite is for --persist");
    }
    if (toStdout()) {
      Format chosen = Format.named(format.orElse("csv"));
      if (chosen == Format.PARQUET) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "--format parquet needs a file: name one with --out FILE.parquet");
      }
    } else {
      Format.of(Path.of(out));
      if (format.isPresent()) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "--format is for --out -; a file's extension names its format (" + out + ")");
      }
    }
  }

  /** Runs {@code job}, writes its result, prints the summary; returns the row count. */
  long write(RetrievalJob job, PrintWriter stdout, PrintWriter stderr) throws IOException {
    check();
    long start = System.nanoTime();
    if (persist != null) {
      long rows = job.persist(persist, allowOverwrite);
      stdout.println(
          "persisted "
              + rows
              + " rows as "
              + persist
              + " on the server in "
              + (System.nanoTime() - start) / 1_000_000
              + " ms");
      stdout.flush();
      return rows;
    }
    long rows;
    int columns;
    // A live counter only on a terminal: piped or logged, each update would be a stray line.
    boolean terminal = System.console() != null;
    LongConsumer progress =
        received -> {
          if (terminal) {
            stderr.print("\rreceived " + received + " rows");
            stderr.flush();
          }
        };
    try (RecordBatchStream stream = job.stream()) {
      columns = stream.schema().getFields().size();
      if (toStdout()) {
        stdout.flush();
        rows = TableFiles.write(stream, stdoutBytes, Format.named(format.orElse("csv")), progress);
        stdoutBytes.flush();
      } else {
        rows = TableFiles.write(stream, Path.of(out), progress);
      }
    }
    if (terminal) {
      stderr.print("\r");
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    String summary =
        "wrote "
            + rows
            + " rows, "
            + columns
            + " columns to "
            + (toStdout() ? "stdout" : out)
            + " in "
            + millis
            + " ms";
    PrintWriter summaryTo = toStdout() ? stderr : stdout;
    summaryTo.println(summary);
    summaryTo.flush();
    stderr.flush();
    return rows;
  }

  private boolean toStdout() {
    return STDOUT.equals(out);
  }
}
