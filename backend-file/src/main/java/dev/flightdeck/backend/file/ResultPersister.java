package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetTableWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code RetrievalJob.persist} for every job of the file backend: the result as one Parquet file
 * {@code <output_dir>/<destination>.parquet}, written whole or not at all.
 */
final class ResultPersister {
  private static final Pattern DESTINATION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}");

  private final Path repositoryDir;
  private final Optional<String> outputDir;
  private final BufferAllocator allocator;

  ResultPersister(Path repositoryDir, Optional<String> outputDir, BufferAllocator allocator) {
    this.repositoryDir = requireNonNull(repositoryDir, "repositoryDir is null");
    this.outputDir = requireNonNull(outputDir, "outputDir is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
  }

  long persist(RetrievalJob job, String destination, boolean allowOverwrite) {
    requireNonNull(destination, "destination is null");
    if (!DESTINATION.matcher(destination).matches()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "persist destination '"
              + destination
              + "' must be a plain name: letters, digits, '_', '-' and '.', not starting with '.'");
    }
    String folderName =
        outputDir.orElseThrow(
            () ->
                new FlightdeckException(
                    ErrorCode.NOT_CONFIGURED,
                    "persist needs an output folder: set offline_store."
                        + FileBackendConfig.OUTPUT_DIR
                        + " in feature_store.yaml"));
    Path folder =
        RepositoryFolders.writable(
            repositoryDir, folderName, "offline_store." + FileBackendConfig.OUTPUT_DIR);
    Path file = folder.resolve(destination + ".parquet");
    ReentrantLock lock = PathLocks.of(file);
    lock.lock();
    try {
      if (!allowOverwrite && Files.exists(file)) {
        throw new FlightdeckException(
            ErrorCode.DESTINATION_EXISTS,
            "persist destination '"
                + destination
                + "' already exists ("
                + SourcePaths.displayName(repositoryDir, file)
                + "); set allow_overwrite to replace it");
      }
      try (VectorSchemaRoot result = job.toArrow(allocator)) {
        ParquetTableWriter.write(result, file);
        return result.getRowCount();
      }
    } finally {
      lock.unlock();
    }
  }
}
