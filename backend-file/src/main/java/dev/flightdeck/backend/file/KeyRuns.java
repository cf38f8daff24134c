package dev.flightdeck.backend.file;

import java.util.Arrays;

/**
 * Rows grouped by key id with a counting sort: linear, stable, no per-row objects. Key {@code k}'s
 * rows are {@code rows[start[k]]} to {@code rows[start[k + 1] - 1]}, in their original order.
 */
record KeyRuns(int[] start, int[] rows) {
  /**
   * Rows 0 to {@code count} - 1 grouped by their id in {@code ids}, from 0 to {@code keys} - 1;
   * rows whose id is negative (no key) are left out.
   */
  static KeyRuns of(int[] ids, int count, int keys) {
    int[] start = new int[keys + 1];
    int kept = 0;
    for (int row = 0; row < count; row++) {
      if (ids[row] >= 0) {
        start[ids[row] + 1]++;
        kept++;
      }
    }
    for (int key = 0; key < keys; key++) {
      start[key + 1] += start[key];
    }
    int[] rows = new int[kept];
    int[] next = Arrays.copyOf(start, keys);
    for (int row = 0; row < count; row++) {
      if (ids[row] >= 0) {
        rows[next[ids[row]]++] = row;
      }
    }
    return new KeyRuns(start, rows);
  }

  /**
   * Keys cut into {@code parts} ranges of about equal rows, for work split over threads: range
   * {@code p} is keys {@code cuts[p]} to {@code cuts[p + 1] - 1}.
   */
  int[] cut(int parts) {
    int keys = start.length - 1;
    int[] cuts = new int[parts + 1];
    for (int part = 1; part < parts; part++) {
      cuts[part] = firstKeyAt((int) ((long) rows.length * part / parts));
    }
    cuts[parts] = keys;
    return cuts;
  }

  /** The first key whose run starts at or after {@code row}. */
  private int firstKeyAt(int row) {
    int low = 0;
    int high = start.length - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (start[middle] < row) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
}
