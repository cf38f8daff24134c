package dev.flightdeck.backend.file;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

/**
 * Fills a result column from a source column by row numbers. Fixed-width values (numbers,
 * timestamps) are moved as raw words straight between the buffers: a million rows × several
 * features per request is where {@code copyFromSafe}'s per-value checks and calls show. Other types
 * take {@code copyFromSafe}.
 *
 * <p>The target must be freshly allocated (validity all zero) with room for {@code length} values.
 */
final class Gather {
  private Gather() {}

  /** {@code target[i] = source[rows[from + i]]}, null where that row number is negative. */
  static void rows(FieldVector source, FieldVector target, int[] rows, int from, int length) {
    int width = fixedWidth(source, target);
    if (width > 0) {
      ArrowBuf values = source.getDataBuffer();
      ArrowBuf out = target.getDataBuffer();
      ArrowBuf validity = target.getValidityBuffer();
      for (int i = 0; i < length; i++) {
        int row = rows[from + i];
        if (row >= 0 && !source.isNull(row)) {
          copyValue(values, row, out, i, width);
          BitVectorHelper.setBit(validity, i);
        }
      }
      return;
    }
    for (int i = 0; i < length; i++) {
      int row = rows[from + i];
      if (row < 0) {
        target.setNull(i);
      } else {
        target.copyFromSafe(row, i, source);
      }
    }
  }

  /**
   * {@code target[i] = source[rows[from + i]]} for a view's feature held in several vectors, null
   * where that row number is negative.
   */
  static void rows(FeatureColumn source, FieldVector target, int[] rows, int from, int length) {
    if (source.chunkCount() == 1) {
      rows(source.chunk(0), target, rows, from, length);
      return;
    }
    int width = fixedWidth(source.chunk(0), target);
    ArrowBuf out = width > 0 ? target.getDataBuffer() : null;
    ArrowBuf validity = width > 0 ? target.getValidityBuffer() : null;
    // Matches of neighbouring entity rows often fall in one row group: keep the last chunk's range.
    int chunk = 0;
    int low = source.start(0);
    int high = source.start(1);
    FieldVector vector = source.chunk(0);
    for (int i = 0; i < length; i++) {
      int row = rows[from + i];
      if (row < 0) {
        if (width == 0) {
          target.setNull(i);
        }
        continue;
      }
      if (row < low || row >= high) {
        chunk = source.chunkOf(row);
        low = source.start(chunk);
        high = source.start(chunk + 1);
        vector = source.chunk(chunk);
      }
      int local = row - low;
      if (width == 0) {
        target.copyFromSafe(local, i, vector);
      } else if (!vector.isNull(local)) {
        copyValue(vector.getDataBuffer(), local, out, i, width);
        BitVectorHelper.setBit(validity, i);
      }
    }
  }

  /** {@code target[i] = source[from + i]}. */
  static void range(FieldVector source, FieldVector target, int from, int length) {
    int width = fixedWidth(source, target);
    if (width > 0) {
      ArrowBuf values = source.getDataBuffer();
      ArrowBuf out = target.getDataBuffer();
      ArrowBuf validity = target.getValidityBuffer();
      out.setBytes(0, values, (long) from * width, (long) length * width);
      for (int i = 0; i < length; i++) {
        if (!source.isNull(from + i)) {
          BitVectorHelper.setBit(validity, i);
        }
      }
      return;
    }
    for (int i = 0; i < length; i++) {
      target.copyFromSafe(from + i, i, source);
    }
  }

  /** The byte width both share when the fast path applies (room ensured), else 0. */
  private static int fixedWidth(FieldVector source, FieldVector target) {
    if (!(source instanceof BaseFixedWidthVector from)
        || !(target instanceof BaseFixedWidthVector to)
        || source instanceof BitVector
        || from.getTypeWidth() != to.getTypeWidth()
        || from.getTypeWidth() <= 0
        || !source.getField().getType().equals(target.getField().getType())) {
      return 0;
    }
    return from.getTypeWidth();
  }

  private static void copyValue(ArrowBuf values, int row, ArrowBuf out, int index, int width) {
    switch (width) {
      case 8 -> out.setLong((long) index * 8, values.getLong((long) row * 8));
      case 4 -> out.setInt((long) index * 4, values.getInt((long) row * 4));
      default -> out.setBytes((long) index * width, values, (long) row * width, width);
    }
  }
}
