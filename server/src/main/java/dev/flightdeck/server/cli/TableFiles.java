package dev.flightdeck.server.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.backend.file.ParquetTableReader;
import dev.flightdeck.backend.file.ParquetTableWriter;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.RecordBatchStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.UUID;
import java.util.function.LongConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/** Tables in local files, the format chosen by extension: {@code .parquet} or {@code .csv}. */
final class TableFiles {
  private TableFiles() {}

  enum Format {
    PARQUET,
    CSV;

    static Format of(Path file) {
      String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".parquet")) {
        return PARQUET;
      }
      if (name.endsWith(".csv")) {
        return CSV;
      }
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "cannot tell the format of '" + file + "': name it *.parquet or *.csv");
    }
  }

  static VectorSchemaRoot read(Path file, BufferAllocator allocator) {
    Format format = Format.of(file);
    if (!Files.isRegularFile(file)) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "no such file: " + file);
    }
    return format == Format.PARQUET
        ? ParquetTableReader.read(file, allocator)
        : CsvTables.read(file, allocator);
  }

  /**
   * Writes every batch of {@code stream} to {@code file}, reporting the rows so far after each
   * batch; returns the row count. CSV streams batch by batch; Parquet gathers the result first (its
   * writer takes one table). The file appears whole or not at all.
   */
  static long write(
      RecordBatchStream stream, Path file, BufferAllocator allocator, LongConsumer progress)
      throws IOException {
    Format format = Format.of(file);
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    if (format == Format.PARQUET) {
      try (VectorSchemaRoot all = VectorSchemaRoot.create(stream.schema(), allocator)) {
        all.allocateNew();
        all.setRowCount(0);
        while (stream.next()) {
          VectorSchemaRootAppender.append(false, all, stream.root());
          progress.accept(all.getRowCount());
        }
        ParquetTableWriter.write(all, absolute);
        return all.getRowCount();
      }
    }
    // Not createTempFile: its owner-only permissions would survive the rename.
    Path temporary =
        absolute.getParent().resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      long rows = 0;
      try (Writer out = Files.newBufferedWriter(temporary, UTF_8)) {
        CsvTables.writeHeader(stream.schema(), out);
        while (stream.next()) {
          CsvTables.writeRows(stream.root(), out);
          rows += stream.root().getRowCount();
          progress.accept(rows);
        }
      }
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      return rows;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
