package dev.flightdeck.bench;

import dev.flightdeck.bench.BenchSchema.Feature;
import dev.flightdeck.tables.ParquetTableWriter;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The bench's rows, each a pure function of the seed and its index, so every run and every sink
 * (Parquet, DuckDB, PostgreSQL) sees the same data.
 *
 * <p>Source row {@code i} belongs to key {@code i % keys} in hour {@code i / keys}, at a random
 * moment inside that hour: rows come in time order, as feature pipelines write them, and a key's
 * timestamps never repeat, so (key, event_timestamp) is unique and the created-timestamp tie-break
 * never decides a match. Feature values are multiples of a power of two (see {@link Feature#scale})
 * and 1% of {@code conv_rate} values are null. Entity rows pick a key (about 1% unknown to the
 * source) and a moment from an hour before the data to an hour after it; with a TTL of one hour
 * about a sixth of the answers are older than the TTL and come back null.
 */
final class BenchData {
  static final long FIRST_KEY = 1_000;
  static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final long HOUR_MICROS = 3_600_000_000L;
  private static final long START_MICROS = START.getEpochSecond() * 1_000_000L;
  private static final int BATCH_ROWS = 65_536;

  private final Sizes sizes;

  BenchData(Sizes sizes) {
    this.sizes = sizes;
  }

  /** Writes the source rows to one Parquet file, a batch at a time. */
  void writeSource(Path file, BufferAllocator allocator) {
    try (VectorSchemaRoot batch = VectorSchemaRoot.create(BenchSchema.source(), allocator);
        ParquetTableWriter writer =
            ParquetTableWriter.open(batch.getSchema(), file, sizes.rowGroupBytes())) {
      for (int first = 0; first < sizes.featureRows(); first += BATCH_ROWS) {
        int rows = Math.min(BATCH_ROWS, sizes.featureRows() - first);
        fillSource(batch, first, rows);
        writer.write(batch);
      }
      writer.commit();
    }
  }

  /** Writes the entity rows to one Parquet file. */
  void writeEntities(Path file, BufferAllocator allocator) {
    try (VectorSchemaRoot batch = VectorSchemaRoot.create(BenchSchema.entities(), allocator);
        ParquetTableWriter writer = ParquetTableWriter.open(batch.getSchema(), file)) {
      for (int first = 0; first < sizes.entityRows(); first += BATCH_ROWS) {
        int rows = Math.min(BATCH_ROWS, sizes.entityRows() - first);
        batch.allocateNew();
        BigIntVector keys = (BigIntVector) batch.getVector(BenchSchema.KEY);
        TimeStampMicroTZVector times =
            (TimeStampMicroTZVector) batch.getVector(BenchSchema.EVENT_TIMESTAMP);
        for (int row = 0; row < rows; row++) {
          long index = first + row;
          keys.setSafe(row, entityKey(index, 7));
          times.setSafe(row, entityTime(index, 8));
        }
        batch.setRowCount(rows);
        writer.write(batch);
      }
      writer.commit();
    }
  }

  /**
   * A small entity table for request {@code request} of a stream of requests: keys the source
   * knows, moments inside the data's time span.
   */
  VectorSchemaRoot smallEntities(long stream, long request, int rows, BufferAllocator allocator) {
    VectorSchemaRoot table = VectorSchemaRoot.create(BenchSchema.entities(), allocator);
    table.allocateNew();
    BigIntVector keys = (BigIntVector) table.getVector(BenchSchema.KEY);
    TimeStampMicroTZVector times =
        (TimeStampMicroTZVector) table.getVector(BenchSchema.EVENT_TIMESTAMP);
    long salt = 1_000 + stream * 2;
    for (int row = 0; row < rows; row++) {
      long index = request * 1_000 + row;
      keys.setSafe(row, FIRST_KEY + Math.floorMod(mix(index, salt), sizes.keys()));
      times.setSafe(row, entityTime(index, salt + 1));
    }
    table.setRowCount(rows);
    return table;
  }

  /** How many rows request {@code request} of stream {@code stream} has, in [min, max]. */
  int smallRequestRows(long stream, long request, int min, int max) {
    return min + (int) Math.floorMod(mix(request, 5_000 + stream), (long) max - min + 1);
  }

  private void fillSource(VectorSchemaRoot batch, int first, int rows) {
    batch.allocateNew();
    BigIntVector keys = (BigIntVector) batch.getVector(BenchSchema.KEY);
    TimeStampMicroTZVector times =
        (TimeStampMicroTZVector) batch.getVector(BenchSchema.EVENT_TIMESTAMP);
    TimeStampMicroTZVector created = (TimeStampMicroTZVector) batch.getVector(BenchSchema.CREATED);
    Float4Vector convRate = (Float4Vector) batch.getVector(Feature.CONV_RATE.column);
    Float8Vector accRate = (Float8Vector) batch.getVector(Feature.ACC_RATE.column);
    BigIntVector trips = (BigIntVector) batch.getVector(Feature.AVG_DAILY_TRIPS.column);
    for (int row = 0; row < rows; row++) {
      long index = first + row;
      long hour = index / sizes.keys();
      long time = START_MICROS + hour * HOUR_MICROS + Math.floorMod(mix(index, 1), HOUR_MICROS);
      keys.setSafe(row, FIRST_KEY + index % sizes.keys());
      times.setSafe(row, time);
      created.setSafe(row, time + Math.floorMod(mix(index, 2), 60_000_000L));
      if (Math.floorMod(mix(index, 4), 100) == 0) {
        convRate.setNull(row);
      } else {
        convRate.setSafe(
            row, scaled(index, 3, Feature.CONV_RATE) / (float) Feature.CONV_RATE.scale);
      }
      accRate.setSafe(row, scaled(index, 5, Feature.ACC_RATE) / (double) Feature.ACC_RATE.scale);
      trips.setSafe(row, Math.floorMod(mix(index, 6), 1_000L));
    }
    batch.setRowCount(rows);
  }

  /** A whole number below the feature's scale: the value is this over the scale, in [0, 1). */
  private long scaled(long index, long salt, Feature feature) {
    return Math.floorMod(mix(index, salt), feature.scale);
  }

  /** A known key for 99 of 100 entity rows, a key the source never saw for the rest. */
  private long entityKey(long index, long salt) {
    long known = sizes.keys();
    return FIRST_KEY + Math.floorMod(mix(index, salt), known + Math.max(1, known / 100));
  }

  /** A moment from an hour before the first source row to an hour after the last. */
  private long entityTime(long index, long salt) {
    long span = (sizes.hours() + 2L) * HOUR_MICROS;
    return START_MICROS - HOUR_MICROS + Math.floorMod(mix(index, salt), span);
  }

  /** SplitMix64's finaliser over the seed, the salt and the index: cheap and well spread. */
  private long mix(long index, long salt) {
    long z = sizes.seed() * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L + index;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
