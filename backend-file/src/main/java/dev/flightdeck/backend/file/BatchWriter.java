package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.retrieval.WriteChecks;
import dev.flightdeck.tables.ParquetColumn;
import dev.flightdeck.tables.ParquetTableReader;
import dev.flightdeck.tables.ParquetTableWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.schema.MessageType;

/**
 * Appends rows to Parquet data: {@code offline_write_batch} into a view's source and {@code
 * write_logged_features} into a service's log folder. The table is checked before anything is
 * written, and every file appears whole or not at all: a folder gets a new part file; a single-file
 * source is rewritten with the old and new rows, as Feast's file store does, under a lock.
 */
final class BatchWriter {
  private final SourcePaths paths;
  private final FeatureRepository repository;
  private final BufferAllocator allocator;

  BatchWriter(SourcePaths paths, FeatureRepository repository, BufferAllocator allocator) {
    this.paths = requireNonNull(paths, "paths is null");
    this.repository = requireNonNull(repository, "repository is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
  }

  long writeBatch(String viewName, VectorSchemaRoot table) {
    requireNonNull(table, "table is null");
    FeatureView view = repository.featureView(viewName);
    DataSource source = repository.dataSource(view.source());
    List<Path> files = paths.resolve(source);
    List<ParquetColumn> stored = ParquetTableReader.columns(files.get(0));
    List<FieldVector> omitted = new ArrayList<>();
    try {
      VectorSchemaRoot ordered = inStoredOrder(view, source, stored, table, omitted);
      checkRequiredElements(view, stored, ordered, paths.displayName(files.get(0)));
      if (table.getRowCount() == 0) {
        return 0;
      }
      write(source, stored, ordered);
      return table.getRowCount();
    } finally {
      omitted.forEach(FieldVector::close);
    }
  }

  /**
   * A list stored in a layout without null elements (2-level, bare repeated, or required elements)
   * cannot take one: refused before anything is written, naming the caller's row.
   */
  private static void checkRequiredElements(
      FeatureView view, List<ParquetColumn> stored, VectorSchemaRoot rows, String fileName) {
    for (int c = 0; c < stored.size(); c++) {
      ParquetColumn column = stored.get(c);
      if (!column.isList()
          || column.list().elementsNullable()
          || !(rows.getVector(c) instanceof ListVector list)) {
        continue;
      }
      FieldVector elements = list.getDataVector();
      for (int row = 0; row < rows.getRowCount(); row++) {
        if (list.isNull(row)) {
          continue;
        }
        for (int i = list.getElementStartIndex(row); i < list.getElementEndIndex(row); i++) {
          if (elements.isNull(i)) {
            throw new FlightdeckException(
                ErrorCode.SCHEMA_MISMATCH,
                "table for feature view '"
                    + view.name()
                    + "': column '"
                    + column.name()
                    + "' has a null element at row "
                    + row
                    + ", but "
                    + fileName
                    + " stores its elements as required");
          }
        }
      }
    }
  }

  private void write(DataSource source, List<ParquetColumn> stored, VectorSchemaRoot ordered) {
    // New rows take the stored file's exact Parquet types: a user's naive or nanosecond
    // timestamps stay as they were written.
    MessageType storedAs =
        new MessageType("schema", stored.stream().map(ParquetColumn::stored).toList());
    Path target = sourcePath(source);
    if (Files.isDirectory(target)) {
      write(ordered, storedAs, target.resolve(newFileName("part")));
    } else {
      rewrite(target, ordered, storedAs);
    }
  }

  long writeLogs(String serviceName, VectorSchemaRoot logs) {
    requireNonNull(logs, "logs is null");
    FeatureService service = repository.featureService(serviceName);
    String destination = service.requireLoggingDestination();
    WriteChecks.checkLogs(repository, service, logs.getSchema());
    if (logs.getRowCount() == 0) {
      return 0;
    }
    Path folder =
        RepositoryFolders.writable(
            paths.repositoryDir(),
            destination,
            "logging destination of feature service '" + serviceName + "'");
    ParquetTableWriter.write(logs, folder.resolve(newFileName("logs")));
    return logs.getRowCount();
  }

  /**
   * The caller's vectors in the stored column order (a view over them, not a copy); a nullable
   * column the caller left out becomes a column of nulls, owned by {@code omitted}.
   */
  private VectorSchemaRoot inStoredOrder(
      FeatureView view,
      DataSource source,
      List<ParquetColumn> stored,
      VectorSchemaRoot table,
      List<FieldVector> omitted) {
    List<WriteChecks.StoredColumn> columns = new ArrayList<>();
    for (ParquetColumn column : stored) {
      columns.add(
          new WriteChecks.StoredColumn(
              column.name(),
              ParquetTableReader.valueType(column, Path.of(source.path())).field(column.name()),
              column.nullable()));
    }
    List<FieldVector> matched = WriteChecks.matchStored(repository, view, columns, table);
    List<FieldVector> ordered = new ArrayList<>();
    for (int c = 0; c < matched.size(); c++) {
      FieldVector vector = matched.get(c);
      if (vector == null) {
        WriteChecks.StoredColumn column = columns.get(c);
        vector = column.field().createVector(allocator);
        vector.allocateNew();
        vector.setValueCount(table.getRowCount()); // all null
        omitted.add(vector);
      }
      ordered.add(vector);
    }
    List<Field> fields = ordered.stream().map(FieldVector::getField).toList();
    return new VectorSchemaRoot(fields, ordered, table.getRowCount());
  }

  /** Reads the file, adds the rows, writes it back whole; concurrent writers wait their turn. */
  private void rewrite(Path file, VectorSchemaRoot rows, MessageType storedAs) {
    ReentrantLock lock = PathLocks.of(file);
    lock.lock();
    try (VectorSchemaRoot old = ParquetTableReader.read(file, allocator);
        VectorSchemaRoot combined = VectorSchemaRoot.create(old.getSchema(), allocator)) {
      combined.allocateNew();
      int total = old.getRowCount() + rows.getRowCount();
      for (int c = 0; c < old.getFieldVectors().size(); c++) {
        FieldVector target = combined.getVector(c);
        FieldVector before = old.getVector(c);
        for (int row = 0; row < old.getRowCount(); row++) {
          target.copyFromSafe(row, row, before);
        }
        appendConverted(target, rows.getVector(c), old.getRowCount(), rows.getRowCount());
        target.setValueCount(total);
      }
      combined.setRowCount(total);
      write(combined, storedAs, file);
    } finally {
      lock.unlock();
    }
  }

  private static void write(VectorSchemaRoot rows, MessageType storedAs, Path file) {
    try (ParquetTableWriter writer =
        ParquetTableWriter.open(
            rows.getSchema(), storedAs, file, ParquetTableWriter.DEFAULT_ROW_GROUP_BYTES)) {
      writer.write(rows);
      writer.commit();
    }
  }

  /** Copies rows, converting timestamps of another unit to the stored microseconds. */
  private static void appendConverted(FieldVector target, FieldVector from, int base, int count) {
    boolean convert =
        target instanceof TimeStampMicroTZVector
            && from instanceof TimeStampVector
            && !target.getField().getType().equals(from.getField().getType());
    for (int row = 0; row < count; row++) {
      if (convert) {
        if (from.isNull(row)) {
          target.setNull(base + row);
        } else {
          ((TimeStampMicroTZVector) target)
              .setSafe(base + row, Timestamps.epochMicros((TimeStampVector) from, row));
        }
      } else {
        target.copyFromSafe(row, base + row, from);
      }
    }
  }

  private Path sourcePath(DataSource source) {
    try {
      return paths.repositoryDir().toRealPath().resolve(source.path()).toRealPath();
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "data source '" + source.name() + "' cannot be resolved: " + e.getMessage(),
          e);
    }
  }

  /** Names sort in write order after files written earlier, so reads see rows in that order. */
  private static String newFileName(String prefix) {
    return String.format(
        "%s-%013d-%s.parquet", prefix, System.currentTimeMillis(), UUID.randomUUID());
  }
}
