package dev.flightdeck.tables;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.spi.TimeRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads flat Parquet columns and lists of them into one Arrow table, each column as its {@link
 * ValueType} (timestamps as microseconds in UTC). Optionally keeps only the rows whose timestamp
 * column is in a range, skipping row groups whose statistics prove them outside it.
 */
public final class ParquetTableReader {
  private ParquetTableReader() {}

  /** Every column and row of {@code file}. */
  public static VectorSchemaRoot read(Path file, BufferAllocator allocator) {
    return read(file, null, null, TimeRange.ALL, allocator);
  }

  /** The columns of {@code file} as they are stored: names and value types, in file order. */
  public static List<ParquetColumn> columns(Path file) {
    return columns(footer(file).getSchema(), file);
  }

  /**
   * The named columns ({@code null}: all) of the rows whose {@code timestampColumn} is in {@code
   * range} ({@code null} column: all rows; a null timestamp is outside any bounded range).
   */
  public static VectorSchemaRoot read(
      Path file,
      List<String> columnNames,
      String timestampColumn,
      TimeRange range,
      BufferAllocator allocator) {
    requireNonNull(file, "file is null");
    requireNonNull(range, "range is null");
    try (ParquetFileReader reader = ParquetFiles.open(file)) {
      FileMetaData metadata = reader.getFooter().getFileMetaData();
      List<ParquetColumn> all = columns(metadata.getSchema(), file);
      List<ParquetColumn> wanted = columnNames == null ? all : select(all, columnNames, file);
      ParquetColumn timestamp =
          timestampColumn == null ? null : select(all, List.of(timestampColumn), file).get(0);
      if (timestamp != null && !timestamp.isTimestamp()) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "column '"
                + timestampColumn
                + "' of "
                + file
                + " is "
                + timestamp.describe()
                + ", not a timestamp");
      }
      List<ParquetColumn> read = new ArrayList<>(wanted);
      if (timestamp != null && !read.contains(timestamp)) {
        read.add(timestamp);
      }
      MessageType projection = projection(metadata.getSchema(), read);
      reader.setRequestedSchema(projection);
      GroupConverter converter = new DummyRecordConverter(projection).getRootConverter();

      List<Field> fields = new ArrayList<>();
      for (ParquetColumn column : wanted) {
        fields.add(valueType(column, file).field(column.name()));
      }
      VectorSchemaRoot table = VectorSchemaRoot.create(new Schema(fields), allocator);
      try {
        table.allocateNew();
        int rows = 0;
        for (BlockMetaData block : reader.getRowGroups()) {
          if (timestamp != null && outside(block, timestamp, range)) {
            reader.skipNextRowGroup();
            continue;
          }
          PageReadStore pages = reader.readNextRowGroup();
          ColumnReadStoreImpl store =
              new ColumnReadStoreImpl(pages, converter, projection, metadata.getCreatedBy());
          int count = Math.toIntExact(pages.getRowCount());
          TimestampValues filter = filter(store, projection, timestamp, range, count);
          for (int c = 0; c < wanted.size(); c++) {
            if (wanted.get(c).equals(timestamp)) {
              // A column reader can be opened once per row group: reuse what the filter read.
              filter.copyKept((TimeStampMicroTZVector) table.getVector(c), rows);
            } else {
              readColumn(
                  store, projection, wanted.get(c), table.getVector(c), filter.keep(), rows, file);
            }
          }
          boolean[] keep = filter.keep();
          for (boolean kept : keep) {
            rows += kept ? 1 : 0;
          }
        }
        for (FieldVector vector : table.getFieldVectors()) {
          vector.setValueCount(rows);
        }
        table.setRowCount(rows);
        return table;
      } catch (RuntimeException e) {
        table.close();
        throw e;
      }
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE, "reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** The filter column's values of one row group, and which rows are in range. */
  private record TimestampValues(boolean[] keep, long[] micros, boolean[] present) {
    void copyKept(TimeStampMicroTZVector vector, int base) {
      int index = base;
      for (int row = 0; row < keep.length; row++) {
        if (keep[row]) {
          if (present[row]) {
            vector.setSafe(index, micros[row]);
          } else {
            vector.setNull(index);
          }
          index++;
        }
      }
    }
  }

  private static TimestampValues filter(
      ColumnReadStoreImpl store,
      MessageType projection,
      ParquetColumn timestamp,
      TimeRange range,
      int count) {
    boolean[] keep = new boolean[count];
    long[] micros = new long[count];
    boolean[] present = new boolean[count];
    if (timestamp == null) {
      Arrays.fill(keep, true);
      return new TimestampValues(keep, micros, present);
    }
    long min = range.start().map(Timestamps::toMicros).orElse(Long.MIN_VALUE);
    long max = range.end().map(Timestamps::toMicros).orElse(Long.MAX_VALUE);
    boolean unbounded = range.equals(TimeRange.ALL);
    ColumnReader reader = columnReader(store, projection, timestamp);
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    for (int row = 0; row < count; row++) {
      if (reader.getCurrentDefinitionLevel() == maxDefinition) {
        micros[row] = FeatureColumnWriter.timestampMicros(timestamp, reader);
        present[row] = true;
        keep[row] = micros[row] >= min && micros[row] <= max;
      } else {
        keep[row] = unbounded; // a null timestamp is in no bounded range
      }
      reader.consume();
    }
    return new TimestampValues(keep, micros, present);
  }

  private static void readColumn(
      ColumnReadStoreImpl store,
      MessageType projection,
      ParquetColumn column,
      FieldVector vector,
      boolean[] keep,
      int base,
      Path file) {
    ColumnReader reader = columnReader(store, projection, column);
    if (column.isList()) {
      ListColumnReader lists =
          new ListColumnReader(column, valueType(column, file), reader, (ListVector) vector);
      int index = base;
      for (boolean kept : keep) {
        if (kept) {
          lists.read(index++);
        } else {
          lists.skip();
        }
      }
      return;
    }
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    FeatureColumnWriter writer =
        FeatureColumnWriter.create(valueType(column, file), column, vector);
    int index = base;
    for (boolean kept : keep) {
      boolean present = reader.getCurrentDefinitionLevel() == maxDefinition;
      if (kept) {
        if (present) {
          writer.write(reader, index);
        } else {
          vector.setNull(index);
        }
        index++;
      } else if (present) {
        reader.skip(); // values decode lazily: an unread value must be skipped
      }
      reader.consume();
    }
  }

  /** True when the statistics prove no row of the group is in range. */
  private static boolean outside(BlockMetaData block, ParquetColumn timestamp, TimeRange range) {
    if (range.equals(TimeRange.ALL) || timestamp.physical() != PrimitiveTypeName.INT64) {
      return false; // INT96 statistics are unreliable in files from older writers
    }
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      if (chunk.getPath().size() != 1 || !chunk.getPath().toArray()[0].equals(timestamp.name())) {
        continue;
      }
      Statistics<?> statistics = chunk.getStatistics();
      if (statistics == null || statistics.isEmpty() || !statistics.hasNonNullValue()) {
        return false;
      }
      long min = timestamp.toMicros(((Number) statistics.genericGetMin()).longValue());
      long max = timestamp.toMicros(((Number) statistics.genericGetMax()).longValue());
      return range.end().map(end -> min > Timestamps.toMicros(end)).orElse(false)
          || range.start().map(start -> max < Timestamps.toMicros(start)).orElse(false);
    }
    return false;
  }

  private static FileMetaData footer(Path file) {
    try (ParquetFileReader reader = ParquetFiles.open(file)) {
      return reader.getFooter().getFileMetaData();
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE, "reading " + file + " failed: " + e.getMessage(), e);
    }
  }

  private static List<ParquetColumn> columns(MessageType schema, Path file) {
    List<ParquetColumn> columns = new ArrayList<>();
    for (Type field : schema.getFields()) {
      columns.add(
          ParquetColumn.of(field)
              .orElseThrow(
                  () ->
                      new FlightdeckException(
                          ErrorCode.INVALID_DATA_SOURCE,
                          "column '"
                              + field.getName()
                              + "' of "
                              + file
                              + " is nested ("
                              + field.toString().replaceAll("\\s+", " ").trim()
                              + "); only flat columns and lists of them are supported")));
    }
    return columns;
  }

  private static List<ParquetColumn> select(
      List<ParquetColumn> all, List<String> names, Path file) {
    List<ParquetColumn> selected = new ArrayList<>();
    for (String name : names) {
      ParquetColumn found =
          all.stream().filter(column -> column.name().equals(name)).findFirst().orElse(null);
      if (found == null) {
        throw new FlightdeckException(
            ErrorCode.UNKNOWN_COLUMN,
            "no column '"
                + name
                + "' in "
                + file
                + " (columns: "
                + String.join(", ", all.stream().map(ParquetColumn::name).toList())
                + ")");
      }
      selected.add(found);
    }
    return selected;
  }

  public static ValueType valueType(ParquetColumn column, Path file) {
    Optional<ValueType> type = column.valueType();
    if (type.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_DATA_SOURCE,
          "column '"
              + column.name()
              + "' of "
              + file
              + " has the unsupported type "
              + column.describe());
    }
    return type.get();
  }

  private static MessageType projection(MessageType schema, List<ParquetColumn> columns) {
    List<Type> fields = new ArrayList<>();
    for (ParquetColumn column : columns) {
      fields.add(schema.getType(column.name()));
    }
    return new MessageType(schema.getName(), fields);
  }

  private static ColumnReader columnReader(
      ColumnReadStoreImpl store, MessageType projection, ParquetColumn column) {
    return store.getColumnReader(projection.getColumnDescription(column.path()));
  }
}
