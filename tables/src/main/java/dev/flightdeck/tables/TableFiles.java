package dev.flightdeck.tables;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.RecordBatchStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.ArrowWriter;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * Tables in local files, the format chosen by extension: {@code .parquet}, {@code .csv}, or Arrow
 * IPC ({@code .arrow}, {@code .feather}: the Arrow file format, which pandas' {@code read_feather}
 * and polars' {@code read_ipc} read directly). Results are written batch by batch, so a large
 * result is never held whole; a file appears whole or not at all.
 */
public final class TableFiles {
  private TableFiles() {}

  public enum Format {
    PARQUET,
    CSV,
    ARROW;

    /** The format a file's extension names. */
    public static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".parquet")) {
        return PARQUET;
      }
      if (name.endsWith(".csv")) {
        return CSV;
      }
      if (name.endsWith(".arrow") || name.endsWith(".feather")) {
        return ARROW;
      }
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "cannot tell the format of '"
              + file.getFileName()
              + "': name it *.parquet, *.csv, *.arrow or *.feather");
    }

    /** A format by its name ({@code csv}, {@code arrow}, {@code parquet}), for flags. */
    public static Format named(String name) {
      for (Format format : values()) {
        if (format.name().equalsIgnoreCase(name)) {
          return format;
        }
      }
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "unknown format '" + name + "' (known: csv, arrow, parquet)");
    }
  }

  /** Reads a whole file into a table owned by the caller. */
  public static VectorSchemaRoot read(Path file, BufferAllocator allocator) {
    Format format = Format.of(file);
    if (!Files.isRegularFile(file)) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "no such file: " + file);
    }
    return switch (format) {
      case PARQUET -> ParquetTableReader.read(file, allocator);
      case CSV -> CsvTables.read(file, allocator);
      case ARROW -> readArrow(file, allocator);
    };
  }

  /**
   * Writes every batch of {@code stream} to {@code file}, reporting the rows so far after each
   * batch; returns the row count.
   */
  public static long write(RecordBatchStream stream, Path file, LongConsumer progress)
      throws IOException {
    Format format = Format.of(file);
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    if (format == Format.PARQUET) {
      try (ParquetTableWriter writer = ParquetTableWriter.open(stream.schema(), absolute)) {
        long rows = 0;
        while (stream.next()) {
          writer.write(stream.root());
          rows += stream.root().getRowCount();
          progress.accept(rows);
        }
        writer.commit();
        return rows;
      }
    }
    // Not createTempFile: its owner-only permissions would survive the rename.
    Path temporary =
        absolute.getParent().resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      long rows;
      try (FileChannel channel =
          FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        rows =
            format == Format.CSV
                ? writeCsv(stream, Channels.newOutputStream(channel), progress)
                : writeArrow(stream, new ArrowFileWriter(stream.root(), null, channel), progress);
      }
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      return rows;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Writes every batch of {@code stream} to {@code out} as CSV or as an Arrow IPC stream (Parquet
   * needs a file); {@code out} is flushed, not closed. Returns the row count.
   */
  public static long write(
      RecordBatchStream stream, OutputStream out, Format format, LongConsumer progress)
      throws IOException {
    return switch (format) {
      case CSV -> writeCsv(stream, out, progress);
      case ARROW ->
          writeArrow(stream, new ArrowStreamWriter(stream.root(), null, unclosed(out)), progress);
      case PARQUET ->
          throw new FlightdeckException(
              ErrorCode.INVALID_PARAMETER,
              "Parquet needs a file; write csv or arrow to a stream, or name a *.parquet file");
    };
  }

  /** The writer closes what it writes to; a caller's stream (stdout, say) must stay open. */
  private static OutputStream unclosed(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }

  private static long writeCsv(RecordBatchStream stream, OutputStream out, LongConsumer progress)
      throws IOException {
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, UTF_8));
    CsvTables.writeHeader(stream.schema(), writer);
    long rows = 0;
    while (stream.next()) {
      CsvTables.writeRows(stream.root(), writer);
      rows += stream.root().getRowCount();
      progress.accept(rows);
    }
    writer.flush();
    return rows;
  }

  /** {@code writer} writes the stream's root, which each {@code next()} refills. */
  private static long writeArrow(
      RecordBatchStream stream, ArrowWriter writer, LongConsumer progress) throws IOException {
    try (writer) {
      writer.start();
      long rows = 0;
      while (stream.next()) {
        writer.writeBatch();
        rows += stream.root().getRowCount();
        progress.accept(rows);
      }
      writer.end();
      return rows;
    }
  }

  private static VectorSchemaRoot readArrow(Path file, BufferAllocator allocator) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      VectorSchemaRoot batch = reader.getVectorSchemaRoot();
      VectorSchemaRoot all = VectorSchemaRoot.create(batch.getSchema(), allocator);
      try {
        all.allocateNew();
        all.setRowCount(0);
        while (reader.loadNextBatch()) {
          VectorSchemaRootAppender.append(false, all, batch);
        }
        return all;
      } catch (RuntimeException | IOException e) {
        all.close();
        throw e;
      }
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "cannot read " + file.getFileName() + " as an Arrow IPC file: " + e.getMessage(),
          e);
    }
  }
}
