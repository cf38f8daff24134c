package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.ValueType;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.tables.FeatureColumnWriter;
import dev.flightdeck.tables.ListColumnReader;
import dev.flightdeck.tables.ParquetColumn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes one row group of a view's source into the rows a retrieval keeps: their keys (unboxed for
 * a single integer key), timestamps, created timestamps and feature values. Independent of every
 * other row group, so several run at once; their results are joined in read order afterwards.
 */
final class RowGroupDecoder {
  private final List<ResolvedFeature> features;
  private final SourceSchema schema;
  private final List<ParquetColumn> featureColumns;
  private final MessageType projection;
  private final String createdBy;
  private final Set<Object> neededKeys;
  private final long minTimestamp;
  private final long maxTimestamp;

  RowGroupDecoder(
      List<ResolvedFeature> features,
      SourceSchema schema,
      List<ParquetColumn> featureColumns,
      MessageType projection,
      String createdBy,
      Set<Object> neededKeys,
      long minTimestamp,
      long maxTimestamp) {
    this.features = List.copyOf(features);
    this.schema = requireNonNull(schema, "schema is null");
    this.featureColumns = List.copyOf(featureColumns);
    this.projection = requireNonNull(projection, "projection is null");
    this.createdBy = createdBy;
    this.neededKeys = neededKeys;
    this.minTimestamp = minTimestamp;
    this.maxTimestamp = maxTimestamp;
  }

  /**
   * Where a row group's rows go: rows {@code offset} to {@code offset + row count - 1} of the
   * view's arrays, one row group's range each, so row groups decode into them side by side.
   *
   * @param keyIds each row's id in the group's own {@link Decoded#keys()}, -1 for a row not kept
   * @param created created timestamps, {@code Long.MIN_VALUE} for null
   */
  record Segment(int[] keyIds, long[] timestamps, long[] created, int offset) {}

  /**
   * A decoded row group: its keys' own ids (see {@link KeyIds#merge}) and its kept rows' feature
   * values, which are the caller's to close.
   */
  record Decoded(KeyIds keys, List<FieldVector> features, int rowCount, int kept) {}

  /**
   * A row group's columns as a file gives them: the chunks {@link FixedWidthPages} can decode are
   * read mapped, every other one through parquet-mr, only when needed and on its own.
   */
  interface RowGroup {
    /** The row group's footer entry, which says which columns are mapped. */
    BlockMetaData chunks();

    PageReader mapped(ColumnChunkMetaData chunk) throws IOException;

    /** parquet-mr's read of this one column of the row group. */
    PageReadStore pages(ColumnDescriptor column) throws IOException;
  }

  /** Decodes one row group into {@code segment}. */
  Decoded decode(RowGroup rowGroup, Segment segment, BufferAllocator allocator) {
    Columns columns = new Columns(rowGroup);
    KeptRows rows = decodeRows(columns, segment);
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int i = 0; i < features.size(); i++) {
        FieldVector vector = createVector(i, allocator);
        vectors.add(vector);
        readFeature(columns, i, vector, rows.keep(), rows.kept(), allocator);
        vector.setValueCount(rows.kept());
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new Decoded(rows.keys(), vectors, rows.rowCount(), rows.kept());
  }

  /**
   * A row group's rows decoded apart from its features ({@link #decodeFeatures}): which rows it
   * keeps, and their keys' ids.
   */
  record KeptRows(KeyIds keys, boolean[] keep, int rowCount, int kept) {}

  /**
   * Whether the row group's features can decode apart from its rows, before it is known which rows
   * are kept: each is read straight into its vector, every row of it.
   */
  boolean decodesFeaturesApart(BlockMetaData chunks) {
    for (int i = 0; i < features.size(); i++) {
      ParquetColumn column = featureColumns.get(i);
      if (!fast(chunks, column) || !isRawCopy(features.get(i).feature().type(), column)) {
        return false;
      }
    }
    return true;
  }

  /** Decodes the row group's keys and timestamps into {@code segment}. */
  KeptRows decodeRows(RowGroup rowGroup, Segment segment) {
    return decodeRows(new Columns(rowGroup), segment);
  }

  /**
   * Decodes every row of the row group's features, which must {@link #decodesFeaturesApart decode
   * apart}; {@link #join} then keeps the kept rows.
   */
  List<FieldVector> decodeFeatures(RowGroup rowGroup, BufferAllocator allocator) {
    Columns columns = new Columns(rowGroup);
    int rowCount = Math.toIntExact(rowGroup.chunks().getRowCount());
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int i = 0; i < features.size(); i++) {
        BaseFixedWidthVector vector = (BaseFixedWidthVector) createVector(i, allocator);
        vectors.add(vector);
        vector.allocateNew(Math.max(rowCount, 1));
        columns.readInto(featureColumns.get(i), vector);
        vector.setValueCount(rowCount);
      }
      return vectors;
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
  }

  /** A row group decoded apart, put together; takes over {@code everyRow}. */
  Decoded join(KeptRows rows, List<FieldVector> everyRow, BufferAllocator allocator) {
    if (rows.kept() == rows.rowCount()) {
      return new Decoded(rows.keys(), everyRow, rows.rowCount(), rows.kept());
    }
    int[] keptRows = new int[rows.kept()];
    int index = 0;
    for (int row = 0; row < rows.rowCount(); row++) {
      if (rows.keep()[row]) {
        keptRows[index++] = row;
      }
    }
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (FieldVector all : everyRow) {
        BaseFixedWidthVector vector = (BaseFixedWidthVector) all.getField().createVector(allocator);
        vectors.add(vector);
        vector.allocateNew(Math.max(rows.kept(), 1));
        Gather.rows((BaseFixedWidthVector) all, vector, keptRows, 0, rows.kept());
        vector.setValueCount(rows.kept());
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    } finally {
      everyRow.forEach(FieldVector::close);
    }
    return new Decoded(rows.keys(), vectors, rows.rowCount(), rows.kept());
  }

  private KeptRows decodeRows(Columns columns, Segment segment) {
    int rowCount = Math.toIntExact(columns.rowGroup.chunks().getRowCount());
    boolean[] keep = readTimestamps(columns, segment.timestamps(), segment.offset(), rowCount);
    KeyIds keys =
        isSingleIntegerKey()
            ? integerKeyIds(readIntegerKeys(columns, rowCount, keep), keep, segment)
            : objectKeyIds(readKeys(columns, rowCount, keep), keep, segment);
    readCreated(columns, segment.created(), segment.offset(), rowCount);
    int kept = 0;
    for (boolean k : keep) {
      kept += k ? 1 : 0;
    }
    return new KeptRows(keys, keep, rowCount, kept);
  }

  private FieldVector createVector(int feature, BufferAllocator allocator) {
    ResolvedFeature resolved = features.get(feature);
    return resolved.feature().type().field(resolved.feature().name()).createVector(allocator);
  }

  private static KeyIds integerKeyIds(long[] keys, boolean[] keep, Segment segment) {
    KeyIds.Longs ids = new KeyIds.Longs();
    int[] out = segment.keyIds();
    for (int row = 0; row < keep.length; row++) {
      out[segment.offset() + row] = keep[row] ? ids.getOrAdd(keys[row]) : -1;
    }
    return ids;
  }

  private static KeyIds objectKeyIds(Object[] keys, boolean[] keep, Segment segment) {
    KeyIds.Objects ids = new KeyIds.Objects();
    int[] out = segment.keyIds();
    for (int row = 0; row < keep.length; row++) {
      out[segment.offset() + row] = keep[row] ? ids.getOrAdd(keys[row]) : -1;
    }
    return ids;
  }

  boolean isSingleIntegerKey() {
    if (schema.joinKeys().size() != 1) {
      return false;
    }
    PrimitiveTypeName physical = schema.joinKeys().get(0).physical();
    return physical == PrimitiveTypeName.INT64 || physical == PrimitiveTypeName.INT32;
  }

  /**
   * Fills {@code timestamps} from {@code offset}; marks the rows whose timestamp is non-null and in
   * range.
   */
  private boolean[] readTimestamps(Columns columns, long[] timestamps, int offset, int rowCount) {
    ParquetColumn column = schema.timestamp();
    boolean[] keep = new boolean[rowCount];
    if (columns.fast(column)) {
      columns.readLongs(column, timestamps, offset, keep);
      boolean convert = !isMicros(column);
      for (int row = 0; row < rowCount; row++) {
        if (keep[row]) {
          long micros =
              convert ? column.toMicros(timestamps[offset + row]) : timestamps[offset + row];
          timestamps[offset + row] = micros;
          keep[row] = micros >= minTimestamp && micros <= maxTimestamp;
        }
      }
      return keep;
    }
    ColumnReader reader = columns.reader(column);
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    for (int row = 0; row < rowCount; row++) {
      if (reader.getCurrentDefinitionLevel() == maxDefinition) {
        long micros = FeatureColumnWriter.timestampMicros(column, reader);
        timestamps[offset + row] = micros;
        keep[row] = micros >= minTimestamp && micros <= maxTimestamp;
      }
      reader.consume();
    }
    return keep;
  }

  /** A single integer key, unboxed; unmarks rows whose key is null or not needed. */
  private long[] readIntegerKeys(Columns columns, int rowCount, boolean[] keep) {
    ParquetColumn column = schema.joinKeys().get(0);
    long[] keys = new long[rowCount];
    if (columns.fast(column)) {
      boolean[] defined = new boolean[rowCount];
      columns.readLongs(column, keys, 0, defined);
      for (int row = 0; row < rowCount; row++) {
        keep[row] &= defined[row] && (neededKeys == null || neededKeys.contains(keys[row]));
      }
      return keys;
    }
    ColumnReader reader = columns.reader(column);
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    boolean int64 = column.physical() == PrimitiveTypeName.INT64;
    for (int row = 0; row < rowCount; row++) {
      if (reader.getCurrentDefinitionLevel() != maxDefinition) {
        keep[row] = false;
      } else if (!keep[row]) {
        reader.skip(); // values decode lazily: an unread one must be skipped
      } else {
        keys[row] = int64 ? reader.getLong() : reader.getInteger();
        keep[row] = neededKeys == null || neededKeys.contains(keys[row]);
      }
      reader.consume();
    }
    return keys;
  }

  /** Any other key, in {@link JoinKeys}' form; unmarks rows whose key is null or not needed. */
  private Object[] readKeys(Columns columns, int rowCount, boolean[] keep) {
    Object[] keys = new Object[rowCount];
    List<ParquetColumn> keyColumns = schema.joinKeys();
    if (keyColumns.isEmpty()) {
      Arrays.fill(keys, JoinKeys.NO_ENTITY_KEY);
      return keys;
    }
    Object[][] parts = new Object[keyColumns.size()][];
    for (int k = 0; k < keyColumns.size(); k++) {
      ColumnReader reader = columns.reader(keyColumns.get(k));
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
      if (keep[row]) {
        Object key = parts.length == 1 ? parts[0][row] : compound(parts, row);
        keys[row] = key;
        keep[row] = key != null && (neededKeys == null || neededKeys.contains(key));
      }
    }
    return keys;
  }

  /** Fills {@code created} from {@code offset}, null as {@code Long.MIN_VALUE} (sorts lowest). */
  private void readCreated(Columns columns, long[] created, int offset, int rowCount) {
    if (schema.created().isEmpty()) {
      Arrays.fill(created, offset, offset + rowCount, Long.MIN_VALUE);
      return;
    }
    ParquetColumn column = schema.created().get();
    if (columns.fast(column)) {
      boolean[] defined = new boolean[rowCount];
      columns.readLongs(column, created, offset, defined);
      boolean convert = !isMicros(column);
      for (int row = 0; row < rowCount; row++) {
        if (!defined[row]) {
          created[offset + row] = Long.MIN_VALUE;
        } else if (convert) {
          created[offset + row] = column.toMicros(created[offset + row]);
        }
      }
      return;
    }
    ColumnReader reader = columns.reader(column);
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    for (int row = 0; row < rowCount; row++) {
      created[offset + row] =
          reader.getCurrentDefinitionLevel() == maxDefinition
              ? FeatureColumnWriter.timestampMicros(column, reader)
              : Long.MIN_VALUE;
      reader.consume();
    }
  }

  private void readFeature(
      Columns columns,
      int feature,
      FieldVector vector,
      boolean[] keep,
      int kept,
      BufferAllocator allocator) {
    ParquetColumn column = featureColumns.get(feature);
    if (columns.fast(column) && isRawCopy(features.get(feature).feature().type(), column)) {
      readRawFeature(columns, column, (BaseFixedWidthVector) vector, keep, kept, allocator);
      return;
    }
    ColumnReader reader = columns.reader(column);
    if (column.isList()) {
      vector.allocateNew();
      ListColumnReader lists =
          new ListColumnReader(
              column, features.get(feature).feature().type(), reader, (ListVector) vector);
      int index = 0;
      for (boolean wanted : keep) {
        if (wanted) {
          lists.read(index++);
        } else {
          lists.skip();
        }
      }
      return;
    }
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    FeatureColumnWriter writer =
        FeatureColumnWriter.create(features.get(feature).feature().type(), column, vector);
    int index = 0;
    for (int row = 0; row < keep.length; row++) {
      if (keep[row]) {
        if (reader.getCurrentDefinitionLevel() == maxDefinition) {
          writer.write(reader, index);
        } else {
          vector.setNull(index);
        }
        index++;
      } else if (reader.getCurrentDefinitionLevel() == maxDefinition) {
        reader.skip();
      }
      reader.consume();
    }
  }

  /**
   * Decodes a feature whose Parquet values are its Arrow values byte for byte: every row straight
   * into the vector, or into a scratch vector the kept rows are then gathered from.
   */
  private static void readRawFeature(
      Columns columns,
      ParquetColumn column,
      BaseFixedWidthVector vector,
      boolean[] keep,
      int kept,
      BufferAllocator allocator) {
    int rowCount = keep.length;
    if (kept == rowCount) {
      vector.allocateNew(Math.max(rowCount, 1));
      columns.readInto(column, vector);
      return;
    }
    try (BaseFixedWidthVector all =
        (BaseFixedWidthVector) vector.getField().createVector(allocator)) {
      all.allocateNew(Math.max(rowCount, 1));
      columns.readInto(column, all);
      all.setValueCount(rowCount);
      int[] rows = new int[kept];
      int index = 0;
      for (int row = 0; row < rowCount; row++) {
        if (keep[row]) {
          rows[index++] = row;
        }
      }
      vector.allocateNew(Math.max(kept, 1));
      Gather.rows(all, vector, rows, 0, kept);
    }
  }

  /** Whether a column's values are the feature's Arrow values as they are stored. */
  private static boolean isRawCopy(ValueType type, ParquetColumn column) {
    return switch (type.kind()) {
      case INT32, INT64, FLOAT32, FLOAT64 -> column.matches(type);
      case TIMESTAMP -> column.physical() == PrimitiveTypeName.INT64 && isMicros(column);
      default -> false;
    };
  }

  private static boolean isMicros(ParquetColumn column) {
    return column.logical() instanceof TimestampLogicalTypeAnnotation timestamp
        && timestamp.getUnit() == LogicalTypeAnnotation.TimeUnit.MICROS;
  }

  private static Object compound(Object[][] parts, int row) {
    Object[] key = new Object[parts.length];
    for (int k = 0; k < parts.length; k++) {
      key[k] = parts[k][row];
    }
    return JoinKeys.compound(key);
  }

  /**
   * A row group's columns: each is read once, either by {@link FixedWidthPages} when its chunk
   * allows, or by parquet-mr's column reader.
   */
  private final class Columns {
    private final RowGroup rowGroup;

    Columns(RowGroup rowGroup) {
      this.rowGroup = rowGroup;
    }

    boolean fast(ParquetColumn column) {
      return RowGroupDecoder.this.fast(rowGroup.chunks(), column);
    }

    void readLongs(ParquetColumn column, long[] values, int offset, boolean[] defined) {
      FixedWidthPages.readLongs(descriptor(column), mapped(column), values, offset, defined);
    }

    void readInto(ParquetColumn column, BaseFixedWidthVector vector) {
      FixedWidthPages.readInto(descriptor(column), mapped(column), vector);
    }

    ColumnReader reader(ParquetColumn column) {
      ColumnDescriptor descriptor = descriptor(column);
      try {
        return new ColumnReadStoreImpl(
                rowGroup.pages(descriptor),
                new DummyRecordConverter(projection).getRootConverter(),
                projection,
                createdBy)
            .getColumnReader(descriptor);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private PageReader mapped(ParquetColumn column) {
      try {
        return rowGroup.mapped(chunk(column).orElseThrow());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private Optional<ColumnChunkMetaData> chunk(ParquetColumn column) {
      return RowGroupDecoder.this.chunk(rowGroup.chunks(), column);
    }

    private ColumnDescriptor descriptor(ParquetColumn column) {
      return RowGroupDecoder.this.descriptor(column);
    }
  }

  /** Whether {@link FixedWidthPages} decodes the column's chunk, read mapped. */
  private boolean fast(BlockMetaData chunks, ParquetColumn column) {
    return chunk(chunks, column)
        .map(chunk -> !chunk.isEncrypted() && FixedWidthPages.supports(descriptor(column), chunk))
        .orElse(false);
  }

  private Optional<ColumnChunkMetaData> chunk(BlockMetaData chunks, ParquetColumn column) {
    ColumnDescriptor descriptor = descriptor(column);
    for (ColumnChunkMetaData chunk : chunks.getColumns()) {
      if (Arrays.equals(chunk.getPath().toArray(), descriptor.getPath())) {
        return Optional.of(chunk);
      }
    }
    return Optional.empty();
  }

  private ColumnDescriptor descriptor(ParquetColumn column) {
    return projection.getColumnDescription(column.path());
  }
}
