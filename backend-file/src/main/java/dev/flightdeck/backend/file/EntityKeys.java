package dev.flightdeck.backend.file;

import dev.flightdeck.retrieval.JoinKeys;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The join keys of the entity rows for one view. A single integer key, the common case, is read
 * unboxed and looked up without allocating; other keys in {@link JoinKeys}' boxed form.
 */
abstract sealed class EntityKeys permits EntityKeys.Integers, EntityKeys.Boxed {
  static EntityKeys of(VectorSchemaRoot entityRows, List<String> joinKeys) {
    List<FieldVector> columns = new ArrayList<>();
    for (String key : joinKeys) {
      columns.add(entityRows.getVector(key));
    }
    if (columns.size() == 1 && columns.get(0) instanceof BaseIntVector) {
      return new Integers(columns.get(0), entityRows.getRowCount());
    }
    return new Boxed(columns, entityRows.getRowCount());
  }

  /** A null key (or a null part of one) matches nothing. */
  abstract boolean isNull(int row);

  /** The id {@code view} gives entity row {@code row}'s key, or -1 (null, or not in the view). */
  abstract int keyId(LoadedView view, int row);

  /** The distinct non-null keys, boxed, for a read that keeps only the rows asked for. */
  abstract Set<Object> distinct();

  static final class Integers extends EntityKeys {
    private final long[] keys;
    private final boolean[] nulls;

    Integers(FieldVector column, int rowCount) {
      BaseIntVector ints = (BaseIntVector) column;
      keys = new long[rowCount];
      nulls = new boolean[rowCount];
      for (int row = 0; row < rowCount; row++) {
        nulls[row] = column.isNull(row);
        if (!nulls[row]) {
          keys[row] = ints.getValueAsLong(row);
        }
      }
    }

    @Override
    boolean isNull(int row) {
      return nulls[row];
    }

    @Override
    int keyId(LoadedView view, int row) {
      return nulls[row] ? -1 : view.keyId(keys[row]);
    }

    @Override
    Set<Object> distinct() {
      Set<Object> distinct = new HashSet<>();
      for (int row = 0; row < keys.length; row++) {
        if (!nulls[row]) {
          distinct.add(keys[row]);
        }
      }
      return distinct;
    }
  }

  static final class Boxed extends EntityKeys {
    private final Object[] keys;

    Boxed(List<FieldVector> columns, int rowCount) {
      keys = new Object[rowCount];
      for (int row = 0; row < rowCount; row++) {
        keys[row] = columns.isEmpty() ? JoinKeys.NO_ENTITY_KEY : JoinKeys.key(columns, row);
      }
    }

    @Override
    boolean isNull(int row) {
      return keys[row] == null;
    }

    @Override
    int keyId(LoadedView view, int row) {
      return view.keyId(keys[row]);
    }

    @Override
    Set<Object> distinct() {
      Set<Object> distinct = new HashSet<>();
      for (Object key : keys) {
        if (key != null) {
          distinct.add(key);
        }
      }
      return distinct;
    }
  }
}
