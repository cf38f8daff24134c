package dev.flightdeck.bench;

import dev.flightdeck.bench.BenchSchema.Feature;
import dev.flightdeck.retrieval.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Aggregates of a point-in-time join's result that do not depend on row order, to cross-check two
 * engines without holding either result: the row count, sums of the keys and event times, and per
 * feature the nulls, the sum, and a sum weighted by the key (which moves when a value lands on the
 * wrong key). Every value is summed as a whole number (see {@link Feature#scale}), so the sums are
 * exact; longs wrap the same way on both sides.
 */
final class ResultSummary {
  private static final Feature[] ALL_FEATURES = Feature.values();
  private static final int FEATURES = ALL_FEATURES.length;

  private long rows;
  private long bytes;
  private long keySum;
  private long timestampSum;
  private final long[] nulls = new long[FEATURES];
  private final long[] sums = new long[FEATURES];
  private final long[] keyedSums = new long[FEATURES];

  long rows() {
    return rows;
  }

  /** The buffer bytes of the Arrow batches added: what crossed the wire, give or take framing. */
  long bytes() {
    return bytes;
  }

  /** Adds a batch whose columns are {@link BenchSchema#result()}'s. */
  void add(VectorSchemaRoot batch) {
    BigIntVector keys = (BigIntVector) batch.getVector(BenchSchema.KEY);
    TimeStampVector times = (TimeStampVector) batch.getVector(BenchSchema.EVENT_TIMESTAMP);
    FieldVector[] features = new FieldVector[FEATURES];
    for (Feature feature : ALL_FEATURES) {
      features[feature.ordinal()] = batch.getVector(feature.column);
    }
    int count = batch.getRowCount();
    for (FieldVector vector : batch.getFieldVectors()) {
      bytes += vector.getBufferSize();
    }
    for (int row = 0; row < count; row++) {
      long key = keys.get(row);
      addEntity(key, Timestamps.epochMicros(times, row));
      for (int f = 0; f < FEATURES; f++) {
        FieldVector vector = features[f];
        if (vector.isNull(row)) {
          nulls[f]++;
        } else {
          addValue(f, key, scaledValue(vector, row, ALL_FEATURES[f].scale));
        }
      }
    }
    rows += count;
  }

  /**
   * Adds the current row of a result set whose columns are the key, the event time in epoch
   * microseconds, then the features in {@link Feature} order.
   */
  void add(ResultSet row) throws SQLException {
    long key = row.getLong(1);
    addEntity(key, row.getLong(2));
    for (Feature feature : ALL_FEATURES) {
      int column = 3 + feature.ordinal();
      long value =
          switch (feature.type.getTypeID()) {
            case FloatingPoint -> Math.round(row.getDouble(column) * feature.scale);
            default -> row.getLong(column) * feature.scale;
          };
      if (row.wasNull()) {
        nulls[feature.ordinal()]++;
      } else {
        addValue(feature.ordinal(), key, value);
      }
    }
    rows++;
  }

  /** Fails, naming every aggregate that differs, unless this summary equals {@code expected}. */
  void requireSameAs(ResultSummary expected, String what, String expectedWhat) {
    List<String> differences = new ArrayList<>();
    compare(differences, "rows", rows, expected.rows);
    compare(differences, "sum of " + BenchSchema.KEY, keySum, expected.keySum);
    compare(
        differences, "sum of " + BenchSchema.EVENT_TIMESTAMP, timestampSum, expected.timestampSum);
    for (Feature feature : Feature.values()) {
      int f = feature.ordinal();
      compare(differences, "nulls of " + feature.column, nulls[f], expected.nulls[f]);
      compare(differences, "sum of " + feature.column, sums[f], expected.sums[f]);
      compare(
          differences,
          "key-weighted sum of " + feature.column,
          keyedSums[f],
          expected.keyedSums[f]);
    }
    if (!differences.isEmpty()) {
      throw new CrossCheckFailure(
          what + " disagrees with " + expectedWhat + ": " + String.join("; ", differences));
    }
  }

  /** Null answers per feature, e.g. {@code conv_rate 17.5%}. */
  String nullShares() {
    List<String> shares = new ArrayList<>();
    for (Feature feature : Feature.values()) {
      shares.add(
          String.format(
              "%s %.1f%%",
              feature.column, rows == 0 ? 0.0 : 100.0 * nulls[feature.ordinal()] / rows));
    }
    return String.join(", ", shares);
  }

  private void addEntity(long key, long micros) {
    keySum += key;
    timestampSum += micros;
  }

  private void addValue(int feature, long key, long value) {
    sums[feature] += value;
    keyedSums[feature] += (Math.floorMod(key, 97) + 1) * value;
  }

  private static long scaledValue(FieldVector vector, int row, long scale) {
    if (vector instanceof Float4Vector floats) {
      return Math.round((double) floats.get(row) * scale);
    }
    if (vector instanceof Float8Vector doubles) {
      return Math.round(doubles.get(row) * scale);
    }
    if (vector instanceof BigIntVector longs) {
      return longs.get(row) * scale;
    }
    throw new IllegalStateException("no bench feature has the type of " + vector.getField());
  }

  private static void compare(List<String> differences, String name, long actual, long expected) {
    if (actual != expected) {
      differences.add(name + " " + actual + " instead of " + expected);
    }
  }

  /** Two engines answered the same request differently: the bench's numbers mean nothing. */
  static final class CrossCheckFailure extends RuntimeException {
    CrossCheckFailure(String message) {
      super(message);
    }
  }
}
