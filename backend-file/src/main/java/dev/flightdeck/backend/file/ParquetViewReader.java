package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.tables.FeatureColumnWriter;
import dev.flightdeck.tables.ParquetColumn;
import dev.flightdeck.tables.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
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
 * Reads the rows of one feature view's source that a retrieval needs, with Parquet's column
 * readers: only the needed columns, only rows whose key is wanted and whose timestamp is in range,
 * skipping row groups whose timestamp statistics fall outside it.
 */
final class ParquetViewReader {
  private final Path repositoryDir;
  private final ViewRequest request;
  private final Set<Object> neededKeys;
  private final long minTimestamp;
  private final long maxTimestamp;
  private final BufferAllocator allocator;
  private int rowGroupsRead;
  private int rowGroupsSkipped;

  /**
   * @param neededKeys the keys to keep (those entity rows ask for), or null for all; ignored for a
   *     view without entities
   * @param minTimestamp the oldest timestamp any entity row can use ({@code Long.MIN_VALUE} without
   *     TTL)
   * @param maxTimestamp the newest entity timestamp
   */
  ParquetViewReader(
      Path repositoryDir,
      ViewRequest request,
      Set<Object> neededKeys,
      long minTimestamp,
      long maxTimestamp,
      BufferAllocator allocator) {
    this.repositoryDir = requireNonNull(repositoryDir, "repositoryDir is null");
    this.request = requireNonNull(request, "request is null");
    this.neededKeys = neededKeys;
    this.minTimestamp = minTimestamp;
    this.maxTimestamp = maxTimestamp;
    this.allocator = requireNonNull(allocator, "allocator is null");
  }

  int rowGroupsRead() {
    return rowGroupsRead;
  }

  int rowGroupsSkipped() {
    return rowGroupsSkipped;
  }

  LoadedView read() {
    List<FieldVector> features = new ArrayList<>();
    try {
      for (ResolvedFeature feature : request.features()) {
        features.add(
            Field.nullable(feature.feature().name(), feature.feature().type().arrowType())
                .createVector(allocator));
      }
      Rows rows = new Rows();
      for (Path file : SourcePaths.resolve(repositoryDir, request.source())) {
        readFile(file, rows, features);
      }
      features.forEach(vector -> vector.setValueCount(rows.count));
      return new LoadedView(
          rows.keyIds(),
          rows.keys.toArray(),
          rows.timestamps.toArray(),
          rows.created.toArray(),
          features);
    } catch (RuntimeException e) {
      for (int i = features.size() - 1; i >= 0; i--) {
        features.get(i).close();
      }
      throw e;
    }
  }

  private void readFile(Path file, Rows rows, List<FieldVector> features) {
    String fileName = SourcePaths.displayName(repositoryDir, file);
    try (ParquetFileReader reader = ParquetFiles.open(file)) {
      FileMetaData metadata = reader.getFooter().getFileMetaData();
      SourceSchema schema =
          SourceSchema.check(
              request.view(), request.source(), request.joinKeys(), metadata.getSchema(), fileName);
      List<ParquetColumn> featureColumns =
          request.features().stream()
              .map(feature -> schema.features().get(feature.feature().name()))
              .toList();
      MessageType projection = projection(metadata.getSchema(), schema, featureColumns);
      reader.setRequestedSchema(projection);
      GroupConverter converter = new DummyRecordConverter(projection).getRootConverter();
      List<FeatureColumnWriter> writers = new ArrayList<>();
      for (int i = 0; i < featureColumns.size(); i++) {
        writers.add(
            FeatureColumnWriter.create(
                request.features().get(i).feature().type(),
                featureColumns.get(i),
                features.get(i)));
      }
      for (BlockMetaData block : reader.getRowGroups()) {
        if (outsideTimeRange(block, schema.timestamp())) {
          reader.skipNextRowGroup();
          rowGroupsSkipped++;
          continue;
        }
        PageReadStore pages = reader.readNextRowGroup();
        rowGroupsRead++;
        ColumnReadStoreImpl store =
            new ColumnReadStoreImpl(pages, converter, projection, metadata.getCreatedBy());
        readRowGroup(
            store,
            projection,
            Math.toIntExact(pages.getRowCount()),
            schema,
            featureColumns,
            writers,
            rows,
            features);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof FlightdeckException flightdeck) {
        throw flightdeck;
      }
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "feature view '"
              + request.view().name()
              + "': reading "
              + fileName
              + " failed: "
              + e.getMessage(),
          e);
    }
  }

  private void readRowGroup(
      ColumnReadStoreImpl store,
      MessageType projection,
      int rowCount,
      SourceSchema schema,
      List<ParquetColumn> featureColumns,
      List<FeatureColumnWriter> writers,
      Rows rows,
      List<FieldVector> features) {
    long[] timestamps = new long[rowCount];
    boolean[] keep = readTimestamps(store, projection, schema.timestamp(), timestamps);
    int[] keys = readKeyIds(store, projection, schema.joinKeys(), rowCount, keep, rows);
    long[] created = new long[rowCount];
    Arrays.fill(created, Long.MIN_VALUE);
    if (schema.created().isPresent()) {
      ColumnReader reader = columnReader(store, projection, schema.created().get());
      int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
      for (int row = 0; row < rowCount; row++) {
        if (reader.getCurrentDefinitionLevel() == maxDefinition) {
          created[row] = FeatureColumnWriter.timestampMicros(schema.created().get(), reader);
        }
        reader.consume();
      }
    }
    int base = rows.count;
    int kept = 0;
    for (int row = 0; row < rowCount; row++) {
      if (keep[row]) {
        rows.add(keys[row], timestamps[row], created[row]);
        kept++;
      }
    }
    if (kept == 0) {
      return;
    }
    for (int i = 0; i < featureColumns.size(); i++) {
      ColumnReader reader = columnReader(store, projection, featureColumns.get(i));
      int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
      FeatureColumnWriter writer = writers.get(i);
      FieldVector vector = features.get(i);
      int index = base;
      for (int row = 0; row < rowCount; row++) {
        if (keep[row]) {
          if (reader.getCurrentDefinitionLevel() == maxDefinition) {
            writer.write(reader, index);
          } else {
            vector.setNull(index);
          }
          index++;
        } else if (reader.getCurrentDefinitionLevel() == maxDefinition) {
          // Values are decoded lazily: an unread value must be skipped, or the next row reads it.
          reader.skip();
        }
        reader.consume();
      }
    }
  }

  /** Fills {@code timestamps} and marks the rows whose timestamp is non-null and in range. */
  private boolean[] readTimestamps(
      ColumnReadStoreImpl store, MessageType projection, ParquetColumn column, long[] timestamps) {
    ColumnReader reader = columnReader(store, projection, column);
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    boolean[] keep = new boolean[timestamps.length];
    for (int row = 0; row < timestamps.length; row++) {
      if (reader.getCurrentDefinitionLevel() == maxDefinition) {
        long micros = FeatureColumnWriter.timestampMicros(column, reader);
        timestamps[row] = micros;
        keep[row] = micros >= minTimestamp && micros <= maxTimestamp;
      }
      reader.consume();
    }
    return keep;
  }

  /**
   * The key id of each kept row; rows whose key is null or not needed are unmarked in {@code keep}.
   * A single integer key is read unboxed.
   */
  private int[] readKeyIds(
      ColumnReadStoreImpl store,
      MessageType projection,
      List<ParquetColumn> keyColumns,
      int rowCount,
      boolean[] keep,
      Rows rows) {
    int[] ids = new int[rowCount];
    if (keyColumns.isEmpty()) {
      Arrays.fill(ids, rows.objectIds().getOrAdd(JoinKeys.NO_ENTITY_KEY));
      return ids;
    }
    ParquetColumn single = keyColumns.get(0);
    if (keyColumns.size() == 1
        && (single.physical() == PrimitiveTypeName.INT64
            || single.physical() == PrimitiveTypeName.INT32)) {
      KeyIds.Longs longIds = rows.longIds();
      ColumnReader reader = columnReader(store, projection, single);
      int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
      boolean int64 = single.physical() == PrimitiveTypeName.INT64;
      for (int row = 0; row < rowCount; row++) {
        if (reader.getCurrentDefinitionLevel() != maxDefinition) {
          keep[row] = false;
        } else if (!keep[row]) {
          reader.skip();
        } else {
          long key = int64 ? reader.getLong() : reader.getInteger();
          if (neededKeys != null && !neededKeys.contains(key)) {
            keep[row] = false;
          } else {
            ids[row] = longIds.getOrAdd(key);
          }
        }
        reader.consume();
      }
      return ids;
    }
    KeyIds.Objects objectIds = rows.objectIds();
    Object[][] parts = new Object[keyColumns.size()][];
    for (int k = 0; k < keyColumns.size(); k++) {
      ColumnReader reader = columnReader(store, projection, keyColumns.get(k));
      int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
      Object[] values = new Object[rowCount];
      for (int row = 0; row < rowCount; row++) {
        if (reader.getCurrentDefinitionLevel() == maxDefinition) {
          values[row] = FeatureColumnWriter.joinKeyValue(keyColumns.get(k), reader);
        }
        reader.consume();
      }
      parts[k] = values;
    }
    for (int row = 0; row < rowCount; row++) {
      if (!keep[row]) {
        continue;
      }
      Object key = parts.length == 1 ? parts[0][row] : compound(parts, row);
      keep[row] = key != null && (neededKeys == null || neededKeys.contains(key));
      if (keep[row]) {
        ids[row] = objectIds.getOrAdd(key);
      }
    }
    return ids;
  }

  private static Object compound(Object[][] parts, int row) {
    Object[] key = new Object[parts.length];
    for (int k = 0; k < parts.length; k++) {
      key[k] = parts[k][row];
    }
    return JoinKeys.compound(key);
  }

  /** True when the row group's statistics prove that no timestamp in it is in range. */
  private boolean outsideTimeRange(BlockMetaData block, ParquetColumn timestamp) {
    if (timestamp.physical() != PrimitiveTypeName.INT64) {
      return false; // INT96 statistics are unreliable in files from older writers
    }
    for (ColumnChunkMetaData chunk : block.getColumns()) {
      if (chunk.getPath().size() != 1 || !chunk.getPath().toArray()[0].equals(timestamp.name())) {
        continue;
      }
      Statistics<?> statistics = chunk.getStatistics();
      if (statistics == null || statistics.isEmpty()) {
        return false;
      }
      if (!statistics.hasNonNullValue()) {
        return statistics.isNumNullsSet() && statistics.getNumNulls() == block.getRowCount();
      }
      long min = timestamp.toMicros(((Number) statistics.genericGetMin()).longValue());
      long max = timestamp.toMicros(((Number) statistics.genericGetMax()).longValue());
      return max < minTimestamp || min > maxTimestamp;
    }
    return false;
  }

  private static MessageType projection(
      MessageType fileSchema, SourceSchema schema, List<ParquetColumn> featureColumns) {
    Map<String, Type> fields = new LinkedHashMap<>();
    List<ParquetColumn> wanted = new ArrayList<>(schema.joinKeys());
    wanted.add(schema.timestamp());
    schema.created().ifPresent(wanted::add);
    wanted.addAll(featureColumns);
    for (ParquetColumn column : wanted) {
      fields.putIfAbsent(column.name(), fileSchema.getType(column.name()));
    }
    return new MessageType(fileSchema.getName(), new ArrayList<>(fields.values()));
  }

  private static ColumnReader columnReader(
      ColumnReadStoreImpl store, MessageType projection, ParquetColumn column) {
    ColumnDescriptor descriptor = projection.getColumnDescription(new String[] {column.name()});
    return store.getColumnReader(descriptor);
  }

  /** The kept rows' key ids, timestamps and created timestamps, in read order. */
  private static final class Rows {
    private final IntList keys = new IntList();
    private final LongList timestamps = new LongList();
    private final LongList created = new LongList();
    private KeyIds ids;
    private int count;

    void add(int key, long timestamp, long createdTimestamp) {
      keys.add(key);
      timestamps.add(timestamp);
      created.add(createdTimestamp);
      count++;
    }

    /** Ids of a single integer key; the first file's key decides for all (files agree). */
    KeyIds.Longs longIds() {
      if (ids == null) {
        ids = new KeyIds.Longs();
      }
      return (KeyIds.Longs) ids;
    }

    KeyIds.Objects objectIds() {
      if (ids == null) {
        ids = new KeyIds.Objects();
      }
      return (KeyIds.Objects) ids;
    }

    KeyIds keyIds() {
      return ids != null ? ids : new KeyIds.Objects();
    }
  }

  private static final class IntList {
    private int[] values = new int[4];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }

  private static final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    long[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
