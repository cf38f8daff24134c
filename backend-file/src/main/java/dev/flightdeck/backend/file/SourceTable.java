package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.retrieval.WriteChecks;
import dev.flightdeck.spi.TimeRange;
import dev.flightdeck.tables.ParquetColumn;
import dev.flightdeck.tables.ParquetTableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.TransferPair;
import org.apache.arrow.vector.util.VectorSchemaRootAppender;

/**
 * Reads columns of one data source, named as the repository names them (after {@code
 * field_mapping}), across all its files in name order, keeping only rows whose timestamp is in a
 * range. For the pull APIs and entity-less retrieval, which need whole columns rather than a join.
 */
final class SourceTable {
  private final SourcePaths paths;
  private final DataSource source;

  SourceTable(SourcePaths paths, DataSource source) {
    this.paths = paths;
    this.source = source;
  }

  /** The source's files, resolved and confined. */
  List<Path> files() {
    return paths.resolve(source);
  }

  /**
   * Source column name (before mapping) for each repository name, from the first file; a name that
   * is not mapped may also be used as is.
   */
  Map<String, ParquetColumn> columnsByName() {
    Map<String, ParquetColumn> byName = new LinkedHashMap<>();
    for (ParquetColumn column : ParquetTableReader.columns(files().get(0))) {
      byName.put(source.mappedName(column.name()), column);
    }
    for (ParquetColumn column : ParquetTableReader.columns(files().get(0))) {
      byName.putIfAbsent(column.name(), column);
    }
    return byName;
  }

  /** The column a repository name refers to; UNKNOWN_COLUMN naming the known ones if none. */
  ParquetColumn column(Map<String, ParquetColumn> columns, String name) {
    ParquetColumn column = columns.get(name);
    if (column == null) {
      throw new FlightdeckException(
          ErrorCode.UNKNOWN_COLUMN,
          "data source '"
              + source.name()
              + "' has no column '"
              + name
              + "' (columns: "
              + String.join(", ", columns.keySet())
              + ")");
    }
    return column;
  }

  /** The Arrow schema of {@code names} as {@link #read} returns them. */
  Schema schema(List<String> names) {
    Map<String, ParquetColumn> columns = columnsByName();
    List<Field> fields = new ArrayList<>();
    for (String name : names) {
      ParquetColumn column = column(columns, name);
      fields.add(ParquetTableReader.valueType(column, files().get(0)).field(name));
    }
    return new Schema(fields);
  }

  /**
   * The rows of every file whose {@code timestampName} column is in {@code range}, with the columns
   * {@code names} (repository names), in file order.
   */
  VectorSchemaRoot read(
      List<String> names, String timestampName, TimeRange range, BufferAllocator allocator) {
    Map<String, ParquetColumn> columns = columnsByName();
    List<String> rawNames = new ArrayList<>();
    for (String name : names) {
      rawNames.add(column(columns, name).name());
    }
    String rawTimestamp = column(columns, timestampName).name();
    Schema schema = schema(names);
    VectorSchemaRoot all = VectorSchemaRoot.create(schema, allocator);
    try {
      all.allocateNew();
      all.setRowCount(0);
      for (Path file : files()) {
        try (VectorSchemaRoot part =
                ParquetTableReader.read(file, rawNames, rawTimestamp, range, allocator);
            VectorSchemaRoot renamed = rename(part, schema, allocator)) {
          if (!sameColumns(renamed.getSchema(), schema)) {
            throw new FlightdeckException(
                ErrorCode.INVALID_DATA_SOURCE,
                "data source '"
                    + source.name()
                    + "': "
                    + paths.displayName(file)
                    + " has columns "
                    + part.getSchema()
                    + ", other files "
                    + schema);
          }
          VectorSchemaRootAppender.append(false, all, renamed);
        }
      }
      return all;
    } catch (RuntimeException e) {
      all.close();
      throw e;
    }
  }

  /** Same names and types; a list's element field may be named differently after a transfer. */
  private static boolean sameColumns(Schema read, Schema expected) {
    List<Field> got = read.getFields();
    List<Field> want = expected.getFields();
    if (got.size() != want.size()) {
      return false;
    }
    for (int i = 0; i < got.size(); i++) {
      if (!got.get(i).getName().equals(want.get(i).getName())
          || !got.get(i).getType().equals(want.get(i).getType())
          || !WriteChecks.compatible(want.get(i), got.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code table}'s vectors moved under the names of {@code schema} (same order and count). */
  private static VectorSchemaRoot rename(
      VectorSchemaRoot table, Schema schema, BufferAllocator allocator) {
    List<FieldVector> vectors = new ArrayList<>();
    List<FieldVector> from = table.getFieldVectors();
    for (int c = 0; c < from.size(); c++) {
      Field target =
          new Field(
              schema.getFields().get(c).getName(),
              from.get(c).getField().getFieldType(),
              from.get(c).getField().getChildren());
      TransferPair transfer = from.get(c).getTransferPair(target, allocator);
      transfer.transfer();
      vectors.add((FieldVector) transfer.getTo());
    }
    VectorSchemaRoot renamed = new VectorSchemaRoot(vectors);
    renamed.setRowCount(table.getRowCount());
    return renamed;
  }
}
