package dev.flightdeck.backend.file;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Fills a result column from a source column by row numbers. Fixed-width values (numbers,
 * timestamps) are moved as raw words straight between the buffers, read and written through
 * ByteBuffer views: a million rows × several features per request is where {@code copyFromSafe}'s
 * per-value calls, and even ArrowBuf's per-access reference-count check, show. The views keep
 * bounds checks. Lists copy their element range at once (see {@link #copy}); other types take
 * {@code copyFromSafe}.
 *
 * <p>The target must be freshly allocated (validity all zero) with room for {@code length} values.
 */
final class Gather {
  private Gather() {}

  /** {@code target[i] = source[rows[from + i]]}, null where that row number is negative. */
  static void rows(FieldVector source, FieldVector target, int[] rows, int from, int length) {
    int width = length == 0 ? 0 : fixedWidth(source, target);
    if (width > 0) {
      Words in = new Words(source);
      Words out = new Words(target);
      for (int i = 0; i < length; i++) {
        int row = rows[from + i];
        if (row >= 0 && in.isSet(row)) {
          out.copy(in, row, i, width);
        }
      }
      return;
    }
    if (source instanceof ListVector lists && target instanceof ListVector out) {
      long elements = 0;
      for (int i = 0; i < length; i++) {
        int row = rows[from + i];
        elements += row < 0 ? 0 : lists.getElementEndIndex(row) - lists.getElementStartIndex(row);
      }
      reserveElements(out, elements);
    }
    for (int i = 0; i < length; i++) {
      int row = rows[from + i];
      if (row < 0) {
        target.setNull(i);
      } else {
        copy(source, row, target, i);
      }
    }
  }

  /**
   * Sizes a fresh list vector's elements for the whole gather at once: growing them by doubling
   * would copy a column of embeddings several times over.
   */
  private static void reserveElements(ListVector target, long elements) {
    FieldVector data = target.getDataVector();
    if (target.getLastSet() >= 0
        || data.getValueCount() != 0
        || elements <= data.getValueCapacity()
        || elements > Integer.MAX_VALUE - 8) {
      return; // not fresh, roomy enough, or too large for one vector: grow as it goes
    }
    data.setInitialCapacity((int) elements);
    data.allocateNew();
  }

  /**
   * {@code target[i] = source[rows[from + i]]} for a view's feature held in several vectors, null
   * where that row number is negative. Fixed-width values go chunk by chunk ({@link RowsByChunk});
   * a caller gathering several features of one view groups the rows once and calls {@link
   * #rows(FeatureColumn, FieldVector, RowsByChunk)} itself.
   */
  static void rows(FeatureColumn source, FieldVector target, int[] rows, int from, int length) {
    if (source.chunkCount() == 1) {
      rows(source.chunk(0), target, rows, from, length);
      return;
    }
    if (length > 0 && fixedWidth(source.chunk(0), target) > 0) {
      rows(source, target, RowsByChunk.of(source, rows, from, length));
      return;
    }
    // Other values in row order: variable-width ones are written position after position.
    if (target instanceof ListVector lists) {
      reserveElements(lists, listElements(source, rows, from, length));
    }
    for (int i = 0; i < length; i++) {
      int row = rows[from + i];
      if (row < 0) {
        target.setNull(i);
        continue;
      }
      int chunk = source.chunkOf(row);
      copy(source.chunk(chunk), row - source.start(chunk), target, i);
    }
  }

  /**
   * As {@link #rows(FeatureColumn, FieldVector, int[], int, int)} for fixed-width values, chunk by
   * chunk: {@code grouped} must {@linkplain RowsByChunk#fits fit} {@code source}. Returns false,
   * having done nothing, for values that are not fixed-width.
   */
  static boolean rows(FeatureColumn source, FieldVector target, RowsByChunk grouped) {
    int width = fixedWidth(source.chunk(0), target);
    if (width == 0) {
      return false;
    }
    Words out = new Words(target);
    for (int chunk = 0; chunk < grouped.chunkCount(); chunk++) {
      Words in = new Words(source.chunk(chunk));
      for (int entry = grouped.chunkStart(chunk); entry < grouped.chunkStart(chunk + 1); entry++) {
        int local = grouped.local(entry);
        if (in.isSet(local)) {
          out.copy(in, local, grouped.position(entry), width);
        }
      }
    }
    return true;
  }

  /** How many elements the lists at {@code rows[from..from + length)} hold in all. */
  private static long listElements(FeatureColumn source, int[] rows, int from, int length) {
    long elements = 0;
    int chunk = 0;
    int low = source.start(0);
    int high = source.start(1);
    for (int i = 0; i < length; i++) {
      int row = rows[from + i];
      if (row < 0) {
        continue;
      }
      if (row < low || row >= high) {
        chunk = source.chunkOf(row);
        low = source.start(chunk);
        high = source.start(chunk + 1);
      }
      if (!(source.chunk(chunk) instanceof ListVector lists)) {
        return 0;
      }
      elements += lists.getElementEndIndex(row - low) - lists.getElementStartIndex(row - low);
    }
    return elements;
  }

  /** {@code target[i] = source[from + i]}. */
  static void range(FieldVector source, FieldVector target, int from, int length) {
    int width = length == 0 ? 0 : fixedWidth(source, target);
    if (width > 0) {
      target
          .getDataBuffer()
          .setBytes(0, source.getDataBuffer(), (long) from * width, (long) length * width);
      Words in = new Words(source);
      Words out = new Words(target);
      for (int i = 0; i < length; i++) {
        if (in.isSet(from + i)) {
          out.setValid(i);
        }
      }
      return;
    }
    for (int i = 0; i < length; i++) {
      copy(source, from + i, target, i);
    }
  }

  /**
   * {@code target[index] = source[row]} for a type the word copy does not take; indexes must come
   * in increasing order. Lists are copied whole, elements in one move when they are fixed-width:
   * {@code ListVector.copyFromSafe} builds a writer per row and copies element by element.
   */
  private static void copy(FieldVector source, int row, FieldVector target, int index) {
    if (source instanceof ListVector from && target instanceof ListVector to) {
      copyList(from, row, to, index);
    } else {
      target.copyFromSafe(row, index, source);
    }
  }

  private static void copyList(ListVector source, int row, ListVector target, int index) {
    if (source.isNull(row)) {
      target.setNull(index);
      return;
    }
    int first = source.getElementStartIndex(row);
    int count = source.getElementEndIndex(row) - first;
    int start = target.startNewValue(index);
    FieldVector from = source.getDataVector();
    FieldVector to = target.getDataVector();
    int width = count == 0 ? 0 : fixedWidth(from, to);
    if (width > 0) {
      while (to.getValueCapacity() < start + count) {
        to.reAlloc(); // doubles: linear over a whole column
      }
      to.getDataBuffer()
          .setBytes(
              (long) start * width,
              from.getDataBuffer(),
              (long) first * width,
              (long) count * width);
      copyBits(from.getValidityBuffer(), first, to.getValidityBuffer(), start, count);
    } else {
      for (int e = 0; e < count; e++) {
        copy(from, first + e, to, start + e);
      }
    }
    target.endValue(index, count);
  }

  /**
   * Copies {@code count} validity bits from bit {@code inBit} of {@code in} to bit {@code outBit}
   * of {@code out}, whose bits there are still zero, up to 56 at a time: an embedding's elements
   * are rarely null, and a bit per call would cost more than the values' copy.
   */
  static void copyBits(ArrowBuf in, long inBit, ArrowBuf out, long outBit, int count) {
    while (count > 0) {
      int n = Math.min(count, 56);
      long word = readBits(in, inBit, n);
      if (word != 0) {
        orBits(out, outBit, word, n);
      }
      inBit += n;
      outBit += n;
      count -= n;
    }
  }

  /** {@code n} (at most 56) bits from bit {@code bit}, the first in the lowest bit. */
  private static long readBits(ArrowBuf buffer, long bit, int n) {
    long first = bit >>> 3;
    int shift = (int) (bit & 7);
    int bytes = (shift + n + 7) >>> 3;
    long raw = 0;
    for (int j = 0; j < bytes; j++) {
      raw |= (buffer.getByte(first + j) & 0xFFL) << (8 * j);
    }
    return (raw >>> shift) & ((1L << n) - 1);
  }

  private static void orBits(ArrowBuf buffer, long bit, long word, int n) {
    long first = bit >>> 3;
    int shift = (int) (bit & 7);
    long shifted = word << shift; // at most 63 bits
    int bytes = (shift + n + 7) >>> 3;
    for (int j = 0; j < bytes; j++) {
      byte part = (byte) (shifted >>> (8 * j));
      if (part != 0) {
        buffer.setByte(first + j, buffer.getByte(first + j) | part);
      }
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

  /** A fixed-width vector's values and validity bits as bounds-checked ByteBuffer views. */
  private static final class Words {
    private final ByteBuffer values;
    private final ByteBuffer validity;

    Words(FieldVector vector) {
      values = view(vector.getDataBuffer());
      validity = view(vector.getValidityBuffer());
    }

    private static ByteBuffer view(ArrowBuf buffer) {
      return buffer.nioBuffer(0, Math.toIntExact(buffer.capacity())).order(ByteOrder.LITTLE_ENDIAN);
    }

    boolean isSet(int index) {
      return (validity.get(index >>> 3) & (1 << (index & 7))) != 0;
    }

    void setValid(int index) {
      int at = index >>> 3;
      validity.put(at, (byte) (validity.get(at) | (1 << (index & 7))));
    }

    /** Copies value {@code row} of {@code in} to value {@code index} here, and marks it valid. */
    void copy(Words in, int row, int index, int width) {
      switch (width) {
        case 8 -> values.putLong(index * 8, in.values.getLong(row * 8));
        case 4 -> values.putInt(index * 4, in.values.getInt(row * 4));
        default -> {
          for (int b = 0; b < width; b++) {
            values.put(index * width + b, in.values.get(row * width + b));
          }
        }
      }
      setValid(index);
    }
  }
}
