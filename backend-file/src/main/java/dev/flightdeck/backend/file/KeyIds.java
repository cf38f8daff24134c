package dev.flightdeck.backend.file;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Dense ids for the join keys of a view's rows, 0 to {@link #size()} - 1, so rows can be grouped by
 * key with arrays instead of a map of lists. A single integer key, the common case, is kept unboxed
 * in an open-addressing table; other keys (strings, several columns) in a {@link HashMap}.
 */
abstract sealed class KeyIds permits KeyIds.Longs, KeyIds.Objects {
  /** The id of {@code key} (as {@link dev.flightdeck.retrieval.JoinKeys} forms it), or -1. */
  abstract int idOf(Object key);

  abstract int size();

  /** Ids of single integer keys: linear probing over a power-of-two table, no boxing. */
  static final class Longs extends KeyIds {
    private static final int EMPTY = -1;
    private long[] keys = new long[1024];
    private int[] ids = filled(1024);
    private int size;

    int getOrAdd(long key) {
      int mask = keys.length - 1;
      for (int slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
        int id = ids[slot];
        if (id == EMPTY) {
          keys[slot] = key;
          ids[slot] = size;
          if (++size * 2 > keys.length) {
            grow();
          }
          return size - 1;
        }
        if (keys[slot] == key) {
          return id;
        }
      }
    }

    int idOf(long key) {
      int mask = keys.length - 1;
      for (int slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
        int id = ids[slot];
        if (id == EMPTY || keys[slot] == key) {
          return id;
        }
      }
    }

    @Override
    int idOf(Object key) {
      return key instanceof Long value ? idOf(value.longValue()) : -1;
    }

    @Override
    int size() {
      return size;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldIds = ids;
      keys = new long[oldKeys.length * 2];
      ids = filled(keys.length);
      int mask = keys.length - 1;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldIds[i] != EMPTY) {
          int slot = mix(oldKeys[i]) & mask;
          while (ids[slot] != EMPTY) {
            slot = (slot + 1) & mask;
          }
          keys[slot] = oldKeys[i];
          ids[slot] = oldIds[i];
        }
      }
    }

    private static int[] filled(int length) {
      int[] array = new int[length];
      Arrays.fill(array, EMPTY);
      return array;
    }

    /** Spreads sequential ids (1001, 1002, ...) over the table. */
    private static int mix(long key) {
      long h = key * 0x9E3779B97F4A7C15L;
      return (int) (h ^ (h >>> 32));
    }
  }

  /** Ids of any other key: strings, lists of parts. */
  static final class Objects extends KeyIds {
    private final Map<Object, Integer> ids = new HashMap<>();

    int getOrAdd(Object key) {
      Integer id = ids.putIfAbsent(key, ids.size());
      return id == null ? ids.size() - 1 : id;
    }

    @Override
    int idOf(Object key) {
      Integer id = key == null ? null : ids.get(key);
      return id == null ? -1 : id;
    }

    @Override
    int size() {
      return ids.size();
    }
  }
}
