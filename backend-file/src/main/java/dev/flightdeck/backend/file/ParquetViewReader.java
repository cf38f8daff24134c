package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.ResolvedFeature;
import dev.flightdeck.retrieval.ViewRequest;
import dev.flightdeck.tables.ParquetColumn;
import dev.flightdeck.tables.ParquetFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory;
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
  private final SourcePaths paths;
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
      SourcePaths paths,
      ViewRequest request,
      Set<Object> neededKeys,
      long minTimestamp,
      long maxTimestamp,
      BufferAllocator allocator,
      ExecutorService executor,
      int threads) {
    this.paths = requireNonNull(paths, "paths is null");
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
    Rows rows = new Rows();
    List<List<FieldVector>> chunks = new ArrayList<>();
    request.features().forEach(feature -> chunks.add(new ArrayList<>()));
    try {
      for (Path file : paths.resolve(request.source())) {
        readFile(file, rows, chunks);
      }
      List<FeatureColumn> features = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        if (chunks.get(i).isEmpty()) { // no row group in range: an empty column
          ResolvedFeature feature = request.features().get(i);
          FieldVector empty =
              feature.feature().type().field(feature.feature().name()).createVector(allocator);
          chunks.get(i).add(empty);
          empty.allocateNew();
          empty.setValueCount(0);
        }
        features.add(new FeatureColumn(chunks.get(i)));
      }
      return new LoadedView(
          rows.keyIds(),
          rows.count,
          rows.keys,
          rows.timestamps,
          rows.created,
          features,
          executor,
          threads);
    } catch (RuntimeException | Error e) {
      for (List<FieldVector> feature : chunks) {
        feature.forEach(FieldVector::close);
      }
      throw e;
    }
  }

  /**
   * Decodes the file's row groups in range, each into its own range of {@code rows}; then, in read
   * order, settles their rows and adds their feature vectors to {@code chunks}.
   *
   * <p>With several row groups and threads, each row group is one task, or two when its features
   * decode apart from its rows ({@link RowGroupDecoder#decodesFeaturesApart}): smaller tasks
   * balance better over the threads, and the feature tasks start first, as they need nothing from
   * {@code rows}, while this thread makes room in it. Each task opens the file itself: a reader's
   * decompressors are not safe to share between threads.
   */
  private void readFile(Path file, Rows rows, List<List<FieldVector>> chunks) {
    String fileName = paths.displayName(file);
    List<Future<?>> tasks = new ArrayList<>();
    List<RowGroupDecoder.Decoded> decoded = new ArrayList<>();
    try {
      RowGroupDecoder decoder;
      boolean[] wanted;
      int[] offsets;
      boolean parallel;
      Map<Integer, Future<List<FieldVector>>> featuresApart = new HashMap<>();
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      try (ParquetFileReader reader = ParquetFiles.open(channel)) {
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
        decoder =
            new RowGroupDecoder(
                request.features(),
                schema,
                featureColumns,
                projection(metadata.getSchema(), schema, featureColumns),
                metadata.getCreatedBy(),
                neededKeys,
                minTimestamp,
                maxTimestamp);
        List<BlockMetaData> blocks = reader.getRowGroups();
        wanted = new boolean[blocks.size()];
        offsets = new int[blocks.size()];
        int count = 0;
        long wantedRows = 0;
        for (int i = 0; i < blocks.size(); i++) {
          wanted[i] = !outsideTimeRange(blocks.get(i), schema.timestamp());
          if (wanted[i]) {
            count++;
            wantedRows += blocks.get(i).getRowCount();
          }
        }
        rowGroupsRead += count;
        rowGroupsSkipped += blocks.size() - count;
        parallel = count >= 2 && threads >= 2;
        for (int block = 0; parallel && block < blocks.size(); block++) {
          if (wanted[block] && decoder.decodesFeaturesApart(blocks.get(block))) {
            Future<List<FieldVector>> task =
                submit(file, block, rowGroup -> decoder.decodeFeatures(rowGroup, allocator));
            tasks.add(task);
            featuresApart.put(block, task);
          }
        }
        int next = rows.reserve(wantedRows, fileName);
        for (int i = 0; i < blocks.size(); i++) {
          offsets[i] = next;
          next += wanted[i] ? Math.toIntExact(blocks.get(i).getRowCount()) : 0;
        }
        if (!parallel) {
          decoded.addAll(decodeAll(reader, channel, decoder, rows, wanted, offsets));
        }
      }
      if (parallel) {
        Map<Integer, Future<RowGroupDecoder.KeptRows>> rowsApart = new HashMap<>();
        Map<Integer, Future<RowGroupDecoder.Decoded>> whole = new HashMap<>();
        for (int block = 0; block < wanted.length; block++) {
          if (!wanted[block]) {
            continue;
          }
          RowGroupDecoder.Segment segment = rows.segment(offsets[block]);
          if (featuresApart.containsKey(block)) {
            Future<RowGroupDecoder.KeptRows> task =
                submit(file, block, rowGroup -> decoder.decodeRows(rowGroup, segment));
            tasks.add(task);
            rowsApart.put(block, task);
          } else {
            Future<RowGroupDecoder.Decoded> task =
                submit(file, block, rowGroup -> decoder.decode(rowGroup, segment, allocator));
            tasks.add(task);
            whole.put(block, task);
          }
        }
        for (int block = 0; block < wanted.length; block++) {
          if (rowsApart.containsKey(block)) {
            RowGroupDecoder.KeptRows kept = rowsApart.get(block).get();
            List<FieldVector> features = featuresApart.get(block).get();
            tasks.remove(featuresApart.get(block)); // from here on join or decoded frees them
            decoded.add(decoder.join(kept, features, allocator));
          } else if (whole.containsKey(block)) {
            decoded.add(whole.get(block).get());
            tasks.remove(whole.get(block));
          }
        }
      }
      int group = 0;
      for (int block = 0; block < wanted.length; block++) {
        if (wanted[block]) {
          RowGroupDecoder.Decoded rowGroup = decoded.get(group);
          decoded.set(group++, null);
          for (int i = 0; i < chunks.size(); i++) {
            chunks.get(i).add(rowGroup.features().get(i)); // theirs to close from now on
          }
          rows.settle(rowGroup, offsets[block]);
        }
      }
    } catch (IOException | RuntimeException | ExecutionException e) {
      closeAll(tasks);
      closeDecoded(decoded);
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
      closeAll(tasks);
      closeDecoded(decoded);
      Thread.currentThread().interrupt();
      throw new FlightdeckException(
          ErrorCode.SERVER_UNAVAILABLE,
          "reading feature view '" + request.view().name() + "' was interrupted",
          e);
    } catch (Error e) {
      closeAll(tasks);
      closeDecoded(decoded);
      throw e;
    }
  }

  /** Decodes the wanted row groups one after another on this thread. */
  private List<RowGroupDecoder.Decoded> decodeAll(
      ParquetFileReader reader,
      FileChannel channel,
      RowGroupDecoder decoder,
      Rows rows,
      boolean[] wanted,
      int[] offsets) {
    List<RowGroupDecoder.Decoded> result = new ArrayList<>();
    CompressionCodecFactory codecs = ParquetFiles.codecs();
    try {
      for (int block = 0; block < wanted.length; block++) {
        if (wanted[block]) {
          result.add(
              decoder.decode(
                  new FileRowGroup(reader, channel, codecs, block),
                  rows.segment(offsets[block]),
                  allocator));
        }
      }
      return result;
    } catch (RuntimeException | Error e) {
      closeDecoded(result);
      throw e;
    } finally {
      codecs.release();
    }
  }

  /** Work on one row group, done by a task with its own reader of the file. */
  private interface RowGroupTask<T> {
    T run(RowGroupDecoder.RowGroup rowGroup);
  }

  private <T> Future<T> submit(Path file, int block, RowGroupTask<T> task) {
    return executor.submit(
        () -> {
          FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
          CompressionCodecFactory codecs = ParquetFiles.codecs();
          try (ParquetFileReader reader = ParquetFiles.open(channel)) {
            return task.run(new FileRowGroup(reader, channel, codecs, block));
          } finally {
            codecs.release();
          }
        });
  }

  /**
   * Row group {@code block} of the file open as both {@code reader} and {@code channel}; {@code
   * codecs} decompresses what is read mapped.
   */
  private record FileRowGroup(
      ParquetFileReader reader, FileChannel channel, CompressionCodecFactory codecs, int block)
      implements RowGroupDecoder.RowGroup {
    @Override
    public BlockMetaData chunks() {
      return reader.getRowGroups().get(block);
    }

    @Override
    public PageReader mapped(ColumnChunkMetaData chunk) throws IOException {
      return MappedChunkPages.open(channel, chunk, codecs);
    }

    @Override
    public PageReadStore pages(ColumnDescriptor column) throws IOException {
      reader.setRequestedSchema(List.of(column));
      return reader.readRowGroup(block);
    }
  }

  private static void closeDecoded(List<RowGroupDecoder.Decoded> decoded) {
    for (RowGroupDecoder.Decoded group : decoded) {
      if (group != null) {
        group.features().forEach(FieldVector::close);
      }
    }
  }

  /** After a failure: waits for the tasks still owning what they decoded, and frees it. */
  private static void closeAll(List<Future<?>> tasks) {
    for (Future<?> task : tasks) {
      Object result;
      try {
        result = task.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        continue;
      } catch (ExecutionException e) {
        continue; // that task failed and freed its own
      }
      if (result instanceof RowGroupDecoder.Decoded group) {
        group.features().forEach(FieldVector::close);
      } else if (result instanceof List<?> vectors) {
        vectors.forEach(vector -> ((FieldVector) vector).close());
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
   * The view's rows in read order: key ids, timestamps and created timestamps. Row groups decode
   * into ranges reserved for them ({@link #segment}), then are settled one by one in read order:
   * their keys take this view's ids and the rows they did not keep close up.
   */
  private static final class Rows {
    private int[] keys = new int[0];
    private long[] timestamps = new long[0];
    private long[] created = new long[0];
    private KeyIds ids;
    private int count;

    /** Makes room for {@code more} rows after the settled ones; returns where they start. */
    int reserve(long more, String fileName) {
      long needed = count + more;
      if (needed > Integer.MAX_VALUE - 8) {
        throw new FlightdeckException(
            ErrorCode.BACKEND_FAILURE,
            "reading "
                + fileName
                + " would give a feature view more than "
                + (Integer.MAX_VALUE - 8)
                + " rows");
      }
      if (needed > keys.length) {
        // The first file sizes them exactly; later ones grow them by half at least.
        int length =
            keys.length == 0
                ? (int) needed
                : (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, keys.length * 3L / 2));
        keys = Arrays.copyOf(keys, length);
        timestamps = Arrays.copyOf(timestamps, length);
        created = Arrays.copyOf(created, length);
      }
      return count;
    }

    RowGroupDecoder.Segment segment(int offset) {
      return new RowGroupDecoder.Segment(keys, timestamps, created, offset);
    }

    /** Takes in the row group decoded at {@code offset}; one thread, in read order. */
    void settle(RowGroupDecoder.Decoded group, int offset) {
      if (ids == null) {
        ids = group.keys() instanceof KeyIds.Longs ? new KeyIds.Longs() : new KeyIds.Objects();
      }
      int[] translation = ids.merge(group.keys());
      for (int row = offset; row < offset + group.rowCount(); row++) {
        int local = keys[row];
        if (local >= 0) {
          keys[count] = translation[local];
          timestamps[count] = timestamps[row];
          created[count] = created[row];
          count++;
        }
      }
    }

    KeyIds keyIds() {
      return ids != null ? ids : new KeyIds.Objects();
    }
  }
}
