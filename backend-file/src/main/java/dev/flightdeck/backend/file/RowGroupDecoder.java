package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.tables.FeatureColumnWriter;
import dev.flightdeck.tables.ParquetColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.DummyRecordConverter;
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

  /** One row group's kept rows, in read order; its feature vectors are the caller's to close. */
  record Decoded(
      long[] longKeys,
      Object[] objectKeys,
      long[] timestamps,
      long[] created,
      List<FieldVector> features,
      int rows) {}

  Decoded decode(PageReadStore pages, BufferAllocator allocator) {
    ColumnReadStoreImpl store =
        new ColumnReadStoreImpl(
            pages, new DummyRecordConverter(projection).getRootConverter(), projection, createdBy);
    int rowCount = Math.toIntExact(pages.getRowCount());
    long[] timestamps = new long[rowCount];
    boolean[] keep = readTimestamps(store, timestamps);
    long[] longKeys = null;
    Object[] objectKeys = null;
    if (isSingleIntegerKey()) {
      longKeys = readIntegerKeys(store, rowCount, keep);
    } else {
      objectKeys = readKeys(store, rowCount, keep);
    }
    long[] created = readCreated(store, rowCount);
    int kept = 0;
    for (boolean k : keep) {
      kept += k ? 1 : 0;
    }
    List<FieldVector> vectors = new ArrayList<>();
    try {
      for (int i = 0; i < features.size(); i++) {
        FieldVector vector =
            Field.nullable(
                    features.get(i).feature().name(), features.get(i).feature().type().arrowType())
                .createVector(allocator);
        vectors.add(vector);
        readFeature(store, i, vector, keep);
        vector.setValueCount(kept);
      }
    } catch (RuntimeException | Error e) {
      vectors.forEach(FieldVector::close);
      throw e;
    }
    return new Decoded(
        longKeys == null ? null : compact(longKeys, keep, kept),
        objectKeys == null ? null : compact(objectKeys, keep, kept),
        compact(timestamps, keep, kept),
        compact(created, keep, kept),
        vectors,
        kept);
  }

  boolean isSingleIntegerKey() {
    if (schema.joinKeys().size() != 1) {
      return false;
    }
    PrimitiveTypeName physical = schema.joinKeys().get(0).physical();
    return physical == PrimitiveTypeName.INT64 || physical == PrimitiveTypeName.INT32;
  }

  /** Fills {@code timestamps}; marks the rows whose timestamp is non-null and in range. */
  private boolean[] readTimestamps(ColumnReadStoreImpl store, long[] timestamps) {
    ParquetColumn column = schema.timestamp();
    ColumnReader reader = columnReader(store, column);
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

  /** A single integer key, unboxed; unmarks rows whose key is null or not needed. */
  private long[] readIntegerKeys(ColumnReadStoreImpl store, int rowCount, boolean[] keep) {
    ParquetColumn column = schema.joinKeys().get(0);
    ColumnReader reader = columnReader(store, column);
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    boolean int64 = column.physical() == PrimitiveTypeName.INT64;
    long[] keys = new long[rowCount];
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
  private Object[] readKeys(ColumnReadStoreImpl store, int rowCount, boolean[] keep) {
    Object[] keys = new Object[rowCount];
    List<ParquetColumn> keyColumns = schema.joinKeys();
    if (keyColumns.isEmpty()) {
      Arrays.fill(keys, JoinKeys.NO_ENTITY_KEY);
      return keys;
    }
    Object[][] parts = new Object[keyColumns.size()][];
    for (int k = 0; k < keyColumns.size(); k++) {
      ColumnReader reader = columnReader(store, keyColumns.get(k));
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

  private long[] readCreated(ColumnReadStoreImpl store, int rowCount) {
    long[] created = new long[rowCount];
    Arrays.fill(created, Long.MIN_VALUE); // null sorts lowest
    if (schema.created().isPresent()) {
      ColumnReader reader = columnReader(store, schema.created().get());
      int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
      for (int row = 0; row < rowCount; row++) {
        if (reader.getCurrentDefinitionLevel() == maxDefinition) {
          created[row] = FeatureColumnWriter.timestampMicros(schema.created().get(), reader);
        }
        reader.consume();
      }
    }
    return created;
  }

  private void readFeature(
      ColumnReadStoreImpl store, int feature, FieldVector vector, boolean[] keep) {
    ColumnReader reader = columnReader(store, featureColumns.get(feature));
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    FeatureColumnWriter writer =
        FeatureColumnWriter.create(
            features.get(feature).feature().type(), featureColumns.get(feature), vector);
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

  private static Object compound(Object[][] parts, int row) {
    Object[] key = new Object[parts.length];
    for (int k = 0; k < parts.length; k++) {
      key[k] = parts[k][row];
    }
    return JoinKeys.compound(key);
  }

  private ColumnReader columnReader(ColumnReadStoreImpl store, ParquetColumn column) {
    ColumnDescriptor descriptor = projection.getColumnDescription(new String[] {column.name()});
    return store.getColumnReader(descriptor);
  }

  private static long[] compact(long[] values, boolean[] keep, int kept) {
    if (kept == values.length) {
      return values;
    }
    long[] result = new long[kept];
    int index = 0;
    for (int row = 0; row < values.length; row++) {
      if (keep[row]) {
        result[index++] = values[row];
      }
    }
    return result;
  }

  private static Object[] compact(Object[] values, boolean[] keep, int kept) {
    Object[] result = new Object[kept];
    int index = 0;
    for (int row = 0; row < values.length; row++) {
      if (keep[row]) {
        result[index++] = values[row];
      }
    }
    return result;
  }
}
