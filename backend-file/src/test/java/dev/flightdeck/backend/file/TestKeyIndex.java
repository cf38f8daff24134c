package dev.flightdeck.backend.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The unboxed parts of a view's index against plain reference versions. */
class TestKeyIndex {
  @Test
  void runSortOrdersByTimeThenCreatedThenReadOrder() {
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      int size = 1 + random.nextInt(300);
      long[] timestamps = new long[size];
      long[] created = new long[size];
      for (int i = 0; i < size; i++) {
        timestamps[i] = random.nextInt(20); // many ties
        created[i] = random.nextBoolean() ? Long.MIN_VALUE : random.nextInt(5);
      }
      int[] rows = IntStream.range(0, size).toArray();
      shuffle(rows, random);
      int[] expected =
          Arrays.stream(rows)
              .boxed()
              .sorted(
                  Comparator.<Integer>comparingLong(row -> timestamps[row])
                      .thenComparingLong(row -> created[row])
                      .thenComparingInt(row -> row))
              .mapToInt(Integer::intValue)
              .toArray();
      RunSort.sort(rows, 0, size, timestamps, created);
      assertThat(rows).containsExactly(expected);
    }
  }

  @Test
  void longIdsAreDenseStableAndSurviveGrowth() {
    KeyIds.Longs ids = new KeyIds.Longs();
    for (long key = -50_000; key < 50_000; key++) {
      assertThat(ids.getOrAdd(key * 7919)).isEqualTo((int) (key + 50_000));
    }
    assertThat(ids.size()).isEqualTo(100_000);
    assertThat(ids.getOrAdd(-50_000L * 7919)).isZero();
    assertThat(ids.idOf((Object) (49_999L * 7919))).isEqualTo(99_999);
    assertThat(ids.idOf((Object) 3L)).isEqualTo(-1);
    assertThat(ids.idOf((Object) "3")).isEqualTo(-1);
  }

  @Test
  void aViewIndexedInPartsAnswersAsAScanOfItsRows() throws InterruptedException {
    int rows = 2_200_000; // above one part's worth: the runs are ordered on two threads
    int keys = 20; // few keys: rows of one key are often neighbours, and tied
    Random random = new Random(7);
    KeyIds.Longs ids = new KeyIds.Longs();
    int[] rowKeys = new int[rows];
    long[] timestamps = new long[rows];
    long[] created = new long[rows];
    for (int row = 0; row < rows; row++) {
      int key = random.nextInt(keys);
      rowKeys[row] = ids.getOrAdd(key * 31L);
      // In time order, as files are written, with ties; odd keys also have rows that came late.
      boolean late = key % 2 == 1 && random.nextInt(100) == 0;
      timestamps[row] = late ? random.nextInt(rows) : row - row % 3;
      created[row] = random.nextInt(10) == 0 ? Long.MIN_VALUE : random.nextInt(4);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (LoadedView view =
        new LoadedView(ids, rows, rowKeys, timestamps, created, List.of(), executor, 2)) {
      int[][] rowsOfKey = new int[ids.size()][];
      int[] counts = new int[ids.size()];
      for (int row = 0; row < rows; row++) {
        counts[rowKeys[row]]++;
      }
      for (int id = 0; id < ids.size(); id++) {
        rowsOfKey[id] = new int[counts[id]];
        counts[id] = 0;
      }
      for (int row = 0; row < rows; row++) {
        rowsOfKey[rowKeys[row]][counts[rowKeys[row]]++] = row;
      }
      for (int query = 0; query < 3_000; query++) {
        int id = random.nextInt(ids.size());
        long time = timestamps[random.nextInt(rows)] - random.nextInt(2); // often on a tie
        long lowest = time - random.nextInt(50_000);
        int expected = -1; // the latest by (timestamp, created, read order) at or before the time
        for (int row : rowsOfKey[id]) {
          if (timestamps[row] <= time
              && (expected < 0
                  || timestamps[row] > timestamps[expected]
                  || (timestamps[row] == timestamps[expected]
                      && created[row] >= created[expected]))) {
            expected = row;
          }
        }
        if (expected >= 0 && timestamps[expected] < lowest) {
          expected = -1;
        }
        assertThat(view.lookup(id, time, lowest))
            .as("key id %d at %d", id, time)
            .isEqualTo(expected);
      }
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static void shuffle(int[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}
