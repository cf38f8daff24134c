package dev.flightdeck.bench;

import java.time.Duration;

/**
 * What the bench generates: {@code featureRows} source rows over {@code keys} join keys (one row
 * per key per hour) in one Parquet file, {@code entityRows} entity rows, and the view's TTL.
 *
 * @param rowGroupMegabytes the Parquet writer's row group size: fewer, larger groups leave less to
 *     skip and to read in parallel
 */
record Sizes(
    int entityRows, int featureRows, int keys, Duration ttl, long seed, int rowGroupMegabytes) {
  Sizes {
    if (entityRows < 1 || featureRows < 1 || keys < 1 || rowGroupMegabytes < 1) {
      throw new IllegalArgumentException(
          "entity rows, feature rows, keys and the row group size must be positive");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("the TTL must be positive, not " + ttl);
    }
  }

  /** Hours of source data: each key has one row in each (the last hour may be partly filled). */
  int hours() {
    return (featureRows + keys - 1) / keys;
  }

  long rowGroupBytes() {
    return rowGroupMegabytes * (1L << 20);
  }

  String describe() {
    return String.format(
        "%,d entity rows × %,d feature rows, %,d keys, %d features, TTL %s, one Parquet file"
            + " (row groups of %d MiB), seed %d",
        entityRows,
        featureRows,
        keys,
        BenchSchema.Feature.values().length,
        ttl,
        rowGroupMegabytes,
        seed);
  }
}
