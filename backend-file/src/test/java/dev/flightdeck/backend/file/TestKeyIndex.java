package dev.flightdeck.backend.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
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

  private static void shuffle(int[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}
