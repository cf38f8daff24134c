package dev.flightdeck.backend.file;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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

  /**
   * Adds the keys of {@code local} (ids given to one row group's keys on its own thread, same kind
   * as this) in their id order; returns for each local id the id here. A row group's rows then take
   * their ids with one array lookup each, and only its distinct keys are hashed twice.
   */
  abstract int[] merge(KeyIds local);

  /** Ids of single integer keys: linear probing over a power-of-two table, no boxing. */
  static final class Longs extends KeyIds {
    private static final int EMPTY = -1;
    private long[] keys = new long[1024];
    private int[] ids = filled(1024);
    private long[] byId = new long[1024];
    private int size;

    int getOrAdd(long key) {
      int mask = keys.length - 1;
      for (int slot = mix(key) & mask; ; slot = (slot + 1) & mask) {
        int id = ids[slot];
        if (id == EMPTY) {
          keys[slot] = key;
          ids[slot] = size;
          if (size == byId.length) {
            byId = Arrays.copyOf(byId, size * 2);
          }
          byId[size] = key;
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
    int[] merge(KeyIds local) {
      Longs other = (Longs) local;
      int[] translation = new int[other.size];
      for (int id = 0; id < other.size; id++) {
        translation[id] = getOrAdd(other.byId[id]);
      }
      return translation;
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
    private final List<Object> byId = new ArrayList<>();

    int getOrAdd(Object key) {
      Integer id = ids.putIfAbsent(key, ids.size());
      if (id == null) {
        byId.add(key);
        return ids.size() - 1;
      }
      return id;
    }

    @Override
    int[] merge(KeyIds local) {
      Objects other = (Objects) local;
      int[] translation = new int[other.byId.size()];
      for (int id = 0; id < translation.length; id++) {
        translation[id] = getOrAdd(other.byId.get(id));
      }
      return translation;
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
