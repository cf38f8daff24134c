package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.tables.ParquetColumn;
import dev.flightdeck.tables.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.VectorAppender;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
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
  private final ExecutorService executor;
  private final int threads;
  private int rowGroupsRead;
  private int rowGroupsSkipped;

  /**
   * @param neededKeys the keys to keep (those entity rows ask for), or null for all; ignored for a
   *     view without entities
   * @param minTimestamp the oldest timestamp any entity row can use ({@code Long.MIN_VALUE} without
   *     TTL)
   * @param maxTimestamp the newest entity timestamp
   * @param executor decodes row groups, {@code threads} at a time
   */
  ParquetViewReader(
      Path repositoryDir,
      ViewRequest request,
      Set<Object> neededKeys,
      long minTimestamp,
      long maxTimestamp,
      BufferAllocator allocator,
      ExecutorService executor,
      int threads) {
    this.repositoryDir = requireNonNull(repositoryDir, "repositoryDir is null");
    this.request = requireNonNull(request, "request is null");
    this.neededKeys = neededKeys;
    this.minTimestamp = minTimestamp;
    this.maxTimestamp = maxTimestamp;
    this.allocator = requireNonNull(allocator, "allocator is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.threads = threads;
  }

  int rowGroupsRead() {
    return rowGroupsRead;
  }

  int rowGroupsSkipped() {
    return rowGroupsSkipped;
  }

  LoadedView read() {
    List<RowGroupDecoder.Decoded> decoded = new ArrayList<>();
    List<FieldVector> features = new ArrayList<>();
    try {
      for (Path file : SourcePaths.resolve(repositoryDir, request.source())) {
        readFile(file, decoded);
      }
      int total = 0;
      for (RowGroupDecoder.Decoded group : decoded) {
        total += group.rows();
      }
      Rows rows = new Rows(total);
      for (ResolvedFeature feature : request.features()) {
        FieldVector vector =
            Field.nullable(feature.feature().name(), feature.feature().type().arrowType())
                .createVector(allocator);
        features.add(vector);
        // Sized once for every row: appending into a growing vector would double it, twice the
        // memory at the peak.
        vector.setInitialCapacity(Math.max(total, 1));
        vector.allocateNew();
        vector.setValueCount(0);
      }
      for (int g = 0; g < decoded.size(); g++) {
        RowGroupDecoder.Decoded group = decoded.get(g);
        rows.add(group);
        for (int i = 0; i < features.size(); i++) {
          group.features().get(i).accept(new VectorAppender(features.get(i)), null);
        }
        // Freed as soon as copied: the peak is the whole view plus one row group.
        group.features().forEach(FieldVector::close);
        decoded.set(g, null);
      }
      features.forEach(vector -> vector.setValueCount(rows.count));
      return new LoadedView(rows.keyIds(), rows.keys, rows.timestamps, rows.created, features);
    } catch (RuntimeException e) {
      for (int i = features.size() - 1; i >= 0; i--) {
        features.get(i).close();
      }
      throw e;
    } finally {
      for (RowGroupDecoder.Decoded group : decoded) {
        if (group != null) {
          group.features().forEach(FieldVector::close);
        }
      }
    }
  }

  /**
   * Decodes the file's row groups in range, in parallel when there are several: each worker opens
   * the file itself, because a reader's decompressors are not safe to share between threads.
   */
  private void readFile(Path file, List<RowGroupDecoder.Decoded> decoded) {
    String fileName = SourcePaths.displayName(repositoryDir, file);
    List<Future<List<RowGroupDecoder.Decoded>>> workers = new ArrayList<>();
    try {
      RowGroupDecoder decoder;
      MessageType projection;
      boolean[] wanted;
      try (ParquetFileReader reader = ParquetFiles.open(file)) {
        FileMetaData metadata = reader.getFooter().getFileMetaData();
        SourceSchema schema =
            SourceSchema.check(
                request.view(),
                request.source(),
                request.joinKeys(),
                metadata.getSchema(),
                fileName);
        List<ParquetColumn> featureColumns =
            request.features().stream()
                .map(feature -> schema.features().get(feature.feature().name()))
                .toList();
        projection = projection(metadata.getSchema(), schema, featureColumns);
        decoder =
            new RowGroupDecoder(
                request.features(),
                schema,
                featureColumns,
                projection,
                metadata.getCreatedBy(),
                neededKeys,
                minTimestamp,
                maxTimestamp);
        List<BlockMetaData> blocks = reader.getRowGroups();
        wanted = new boolean[blocks.size()];
        int count = 0;
        for (int i = 0; i < blocks.size(); i++) {
          wanted[i] = !outsideTimeRange(blocks.get(i), schema.timestamp());
          count += wanted[i] ? 1 : 0;
        }
        rowGroupsRead += count;
        rowGroupsSkipped += blocks.size() - count;
        if (count < 2 || threads < 2) {
          reader.setRequestedSchema(projection);
          decoded.addAll(decodeShare(reader, decoder, wanted, 0, 1));
          return;
        }
      }
      int shares = threads;
      for (int share = 0; share < shares; share++) {
        int worker = share;
        workers.add(
            executor.submit(
                () -> {
                  try (ParquetFileReader own = ParquetFiles.open(file)) {
                    own.setRequestedSchema(projection);
                    return decodeShare(own, decoder, wanted, worker, shares);
                  }
                }));
      }
      // Row groups were dealt round-robin: put them back in read order.
      List<List<RowGroupDecoder.Decoded>> results = new ArrayList<>();
      for (Future<List<RowGroupDecoder.Decoded>> worker : workers) {
        results.add(worker.get());
      }
      for (int index = 0; ; index++) {
        List<RowGroupDecoder.Decoded> share = results.get(index % shares);
        int position = index / shares;
        if (position >= share.size()) {
          break;
        }
        decoded.add(share.get(position));
      }
    } catch (IOException | RuntimeException | ExecutionException e) {
      closeAll(workers);
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof FlightdeckException flightdeck) {
        throw flightdeck;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "feature view '"
              + request.view().name()
              + "': reading "
              + fileName
              + " failed: "
              + cause.getMessage(),
          cause);
    } catch (InterruptedException e) {
      closeAll(workers);
      Thread.currentThread().interrupt();
      throw new FlightdeckException(
          ErrorCode.SERVER_UNAVAILABLE,
          "reading feature view '" + request.view().name() + "' was interrupted",
          e);
    }
  }

  /**
   * Decodes share {@code share} of {@code shares} of the wanted row groups (every shares-th one),
   * skipping the others.
   */
  private List<RowGroupDecoder.Decoded> decodeShare(
      ParquetFileReader reader, RowGroupDecoder decoder, boolean[] wanted, int share, int shares)
      throws IOException {
    List<RowGroupDecoder.Decoded> result = new ArrayList<>();
    try {
      int seen = 0;
      List<BlockMetaData> blocks = reader.getRowGroups();
      for (int block = 0; block < wanted.length; block++) {
        if (wanted[block] && seen++ % shares == share) {
          PageReadStore pages = reader.readNextRowGroup();
          result.add(decoder.decode(pages, blocks.get(block), allocator));
        } else {
          reader.skipNextRowGroup();
        }
      }
      return result;
    } catch (IOException | RuntimeException | Error e) {
      result.forEach(group -> group.features().forEach(FieldVector::close));
      throw e;
    }
  }

  /** After a failure: waits for the other workers and frees what they decoded. */
  private static void closeAll(List<Future<List<RowGroupDecoder.Decoded>>> workers) {
    for (Future<List<RowGroupDecoder.Decoded>> worker : workers) {
      try {
        worker.get().forEach(group -> group.features().forEach(FieldVector::close));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // that worker failed and freed its own
      }
    }
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

  /**
   * The kept rows' key ids, timestamps and created timestamps, in read order, in arrays sized once
   * for every row.
   */
  private static final class Rows {
    private final int[] keys;
    private final long[] timestamps;
    private final long[] created;
    private KeyIds ids;
    private int count;

    Rows(int total) {
      keys = new int[total];
      timestamps = new long[total];
      created = new long[total];
    }

    /**
     * Appends a decoded row group, its keys given their ids here (one thread: ids are not shared).
     */
    void add(RowGroupDecoder.Decoded group) {
      if (ids == null) {
        ids = group.keys() instanceof KeyIds.Longs ? new KeyIds.Longs() : new KeyIds.Objects();
      }
      int[] translation = ids.merge(group.keys());
      int[] local = group.keyIds();
      for (int row = 0; row < group.rows(); row++) {
        keys[count + row] = translation[local[row]];
      }
      System.arraycopy(group.timestamps(), 0, timestamps, count, group.rows());
      System.arraycopy(group.created(), 0, created, count, group.rows());
      count += group.rows();
    }

    KeyIds keyIds() {
      return ids != null ? ids : new KeyIds.Objects();
    }
  }
}
