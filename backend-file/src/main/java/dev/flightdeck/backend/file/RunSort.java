package dev.flightdeck.backend.file;

/**
 * Sorts one key's run of row indices by (timestamp, created timestamp, row index) without boxing.
 * Sources are mostly written in time order, so a run is first checked and usually left as it is;
 * the row index as last key keeps read order among full ties, so the row read last wins.
 */
final class RunSort {
  private static final int INSERTION_MAX = 16;

  private RunSort() {}

  static void sort(int[] rows, int from, int to, long[] timestamps, long[] created) {
    if (to - from < 2 || inOrder(rows, from, to, timestamps, created)) {
      return;
    }
    quicksort(rows, from, to - 1, timestamps, created);
  }

  private static boolean inOrder(int[] rows, int from, int to, long[] timestamps, long[] created) {
    for (int i = from + 1; i < to; i++) {
      if (compare(rows[i - 1], rows[i], timestamps, created) > 0) {
        return false;
      }
    }
    return true;
  }

  private static int compare(int a, int b, long[] timestamps, long[] created) {
    int byTime = Long.compare(timestamps[a], timestamps[b]);
    if (byTime != 0) {
      return byTime;
    }
    int byCreated = Long.compare(created[a], created[b]);
    return byCreated != 0 ? byCreated : Integer.compare(a, b);
  }

  private static void quicksort(int[] rows, int low, int high, long[] timestamps, long[] created) {
    while (high - low > INSERTION_MAX) {
      int pivot = rows[(low + high) >>> 1];
      int i = low;
      int j = high;
      while (i <= j) {
        while (compare(rows[i], pivot, timestamps, created) < 0) {
          i++;
        }
        while (compare(rows[j], pivot, timestamps, created) > 0) {
          j--;
        }
        if (i <= j) {
          int swap = rows[i];
          rows[i++] = rows[j];
          rows[j--] = swap;
        }
      }
      // Recurse into the smaller side, loop on the larger: the stack stays logarithmic.
      if (j - low < high - i) {
        quicksort(rows, low, j, timestamps, created);
        low = i;
      } else {
        quicksort(rows, i, high, timestamps, created);
        high = j;
      }
    }
    for (int i = low + 1; i <= high; i++) {
      int row = rows[i];
      int j = i - 1;
      while (j >= low && compare(rows[j], row, timestamps, created) > 0) {
        rows[j + 1] = rows[j];
        j--;
      }
      rows[j + 1] = row;
    }
  }
}
