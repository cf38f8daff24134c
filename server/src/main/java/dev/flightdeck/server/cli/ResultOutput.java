package dev.flightdeck.server.cli;

import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import picocli.CommandLine.Option;

/**
 * The {@code --out} file of a command that fetches data, and the streaming of a job's result into
 * it: a progress line on stderr while rows arrive, a summary on stdout at the end.
 */
final class ResultOutput {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "Where to write the result: *.parquet or *.csv.")
  Path out;

  /** Runs {@code job}, writes its result, prints the summary; returns the row count. */
  long write(RetrievalJob job, BufferAllocator allocator, PrintWriter stdout, PrintWriter stderr)
      throws IOException {
    TableFiles.Format.of(out); // a bad name fails before the server does any work
    long start = System.nanoTime();
    long rows;
    int columns;
    try (RecordBatchStream stream = job.stream()) {
      columns = stream.schema().getFields().size();
      rows =
          TableFiles.write(
              stream,
              out,
              allocator,
              received -> {
                stderr.print("\rreceived " + received + " rows");
                stderr.flush();
              });
    }
    stderr.print("\r");
    stderr.flush();
    long millis = (System.nanoTime() - start) / 1_000_000;
    stdout.println(
        "wrote " + rows + " rows, " + columns + " columns to " + out + " in " + millis + " ms");
    stdout.flush();
    return rows;
  }
}
