package dev.flightdeck.backend.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes a flat column chunk of 4- or 8-byte values (INT32, INT64, FLOAT, DOUBLE) page by page,
 * for the encodings writers use by default: PLAIN or dictionary values, RLE or bit-packed
 * definition levels. parquet-mr's {@code ColumnReader} costs several calls and a level check per
 * value, which made decoding most of a cold request's time; here a page without nulls is one bulk
 * copy and a dictionary page one lookup per value. A chunk that may hold any other encoding is left
 * to the {@code ColumnReader} ({@link #supports}).
 */
final class FixedWidthPages {
  private static final Set<Encoding> DATA_ENCODINGS =
      EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
  private static final Set<Encoding> DICTIONARY_ENCODINGS =
      EnumSet.of(Encoding.PLAIN, Encoding.PLAIN_DICTIONARY);

  private final PageReader pages;
  private final int width;
  private final boolean optional;
  private ByteBuffer dictionary;
  private long[] dictionaryLongs;
  private int[] dictionaryInts;
  private int[] levels = new int[0];
  private int[] indices = new int[0];

  private FixedWidthPages(ColumnDescriptor column, PageReader pages) {
    this.pages = pages;
    this.width = width(column.getPrimitiveType().getPrimitiveTypeName());
    this.optional = column.getMaxDefinitionLevel() == 1;
  }

  /**
   * Whether the chunk can be decoded here: flat, 4 or 8 bytes wide, and its footer's encoding
   * statistics (written by parquet-mr since 1.9 and by Arrow's writer) promise no other value
   * encoding. Without those statistics the chunk's encodings cannot be told from its levels'.
   */
  static boolean supports(ColumnDescriptor column, ColumnChunkMetaData chunk) {
    EncodingStats stats = chunk.getEncodingStats();
    return column.getMaxRepetitionLevel() == 0
        && column.getMaxDefinitionLevel() <= 1
        && width(column.getPrimitiveType().getPrimitiveTypeName()) > 0
        && stats != null
        && DATA_ENCODINGS.containsAll(stats.getDataEncodings())
        && DICTIONARY_ENCODINGS.containsAll(stats.getDictionaryEncodings());
  }

  /**
   * Reads the chunk's values as longs (INT32 widened): {@code values[offset + row]} and {@code
   * defined[row]}, false for a null (whose value is left as it was).
   */
  static void readLongs(
      ColumnDescriptor column, PageReader pages, long[] values, int offset, boolean[] defined) {
    FixedWidthPages decoder = new FixedWidthPages(column, pages);
    decoder.decode(decoder.new LongTarget(values, offset, defined));
  }

  /**
   * Reads the chunk into {@code vector}, whose values are as wide as the column's and which has
   * room for every row, its validity all zero.
   */
  static void readInto(ColumnDescriptor column, PageReader pages, BaseFixedWidthVector vector) {
    FixedWidthPages decoder = new FixedWidthPages(column, pages);
    if (vector.getTypeWidth() != decoder.width) {
      throw new IllegalArgumentException(
          "a " + vector.getTypeWidth() + "-byte vector for " + decoder.width + "-byte values");
    }
    decoder.decode(decoder.new VectorTarget(vector));
  }

  private static int width(PrimitiveTypeName physical) {
    return switch (physical) {
      case INT32, FLOAT -> 4;
      case INT64, DOUBLE -> 8;
      default -> 0;
    };
  }

  private void decode(Target target) {
    DictionaryPage dictionaryPage = pages.readDictionaryPage();
    if (dictionaryPage != null) {
      dictionary = bytes(toByteBuffer(dictionaryPage.getBytes()));
    }
    int row = 0;
    for (DataPage page = pages.readPage(); page != null; page = pages.readPage()) {
      row += decodePage(page, row, target);
    }
  }

  private int decodePage(DataPage page, int firstRow, Target target) {
    int count = page.getValueCount();
    ByteBuffer values;
    Encoding encoding;
    int present;
    if (page instanceof DataPageV1 v1) {
      values = bytes(toByteBuffer(v1));
      encoding = v1.getValueEncoding();
      present = optional ? readLevelsV1(values, v1.getDlEncoding(), count) : count;
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      encoding = v2.getDataEncoding();
      present = count;
      if (optional) {
        ByteBuffer levelBytes = bytes(toByteBuffer(v2.getDefinitionLevels()));
        present = new Hybrid(levelBytes, 1).read(ensureLevels(count), count);
      }
      values = bytes(toByteBuffer(v2.getData()));
    }
    int[] pageLevels = present == count ? null : levels;
    if (encoding == Encoding.PLAIN) {
      target.plain(firstRow, count, pageLevels, values);
    } else if (encoding == Encoding.PLAIN_DICTIONARY || encoding == Encoding.RLE_DICTIONARY) {
      if (dictionary == null) {
        throw new IllegalStateException("a dictionary-encoded page without a dictionary");
      }
      int bitWidth = values.get();
      if (indices.length < present) {
        indices = new int[present];
      }
      new Hybrid(values, bitWidth).read(indices, present);
      target.dictionary(firstRow, count, pageLevels, dictionary, indices);
    } else {
      // supports() checked the footer's statistics; a page that disagrees with them is corrupt
      throw new IllegalStateException("unexpected value encoding " + encoding);
    }
    return count;
  }

  /** Reads a V1 page's definition levels into {@link #levels}; returns how many are defined. */
  private int readLevelsV1(ByteBuffer page, Encoding encoding, int count) {
    int[] out = ensureLevels(count);
    if (encoding == Encoding.RLE) {
      int length = page.getInt();
      ByteBuffer levelBytes = page.slice().order(ByteOrder.LITTLE_ENDIAN).limit(length);
      page.position(page.position() + length);
      return new Hybrid(levelBytes, 1).read(out, count);
    }
    if (encoding == Encoding.BIT_PACKED) { // deprecated: one bit per level, most significant first
      int present = 0;
      int start = page.position();
      for (int i = 0; i < count; i++) {
        out[i] = (page.get(start + (i >>> 3)) >>> (7 - (i & 7))) & 1;
        present += out[i];
      }
      page.position(start + (count + 7) / 8);
      return present;
    }
    throw new IllegalStateException("unexpected definition level encoding " + encoding);
  }

  /** The dictionary's entries as longs, decoded once for the chunk. */
  private long[] dictionaryLongs(ByteBuffer dictionary) {
    if (dictionaryLongs == null) {
      dictionaryLongs = new long[dictionary.remaining() / 8];
      dictionary.duplicate().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dictionaryLongs);
    }
    return dictionaryLongs;
  }

  private int[] dictionaryInts(ByteBuffer dictionary) {
    if (dictionaryInts == null) {
      dictionaryInts = new int[dictionary.remaining() / 4];
      dictionary.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(dictionaryInts);
    }
    return dictionaryInts;
  }

  private int[] ensureLevels(int count) {
    if (levels.length < count) {
      levels = new int[count];
    }
    return levels;
  }

  private static ByteBuffer toByteBuffer(DataPageV1 page) {
    return toByteBuffer(page.getBytes());
  }

  private static ByteBuffer toByteBuffer(org.apache.parquet.bytes.BytesInput input) {
    try {
      return input.toByteBuffer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ByteBuffer bytes(ByteBuffer buffer) {
    return buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Where a page's values go; {@code levels} is null when none of the page's values is null. */
  private interface Target {
    void plain(int firstRow, int count, int[] levels, ByteBuffer values);

    void dictionary(int firstRow, int count, int[] levels, ByteBuffer dictionary, int[] indices);
  }

  private final class LongTarget implements Target {
    private final long[] values;
    private final int offset;
    private final boolean[] defined;

    LongTarget(long[] values, int offset, boolean[] defined) {
      this.values = values;
      this.offset = offset;
      this.defined = defined;
    }

    @Override
    public void plain(int firstRow, int count, int[] levels, ByteBuffer page) {
      if (levels == null && width == 8) {
        page.asLongBuffer().get(values, offset + firstRow, count);
        Arrays.fill(defined, firstRow, firstRow + count, true);
        return;
      }
      int position = page.position();
      for (int i = 0; i < count; i++) {
        if (levels == null || levels[i] != 0) {
          values[offset + firstRow + i] =
              width == 8 ? page.getLong(position) : page.getInt(position);
          defined[firstRow + i] = true;
          position += width;
        }
      }
    }

    @Override
    public void dictionary(
        int firstRow, int count, int[] levels, ByteBuffer dictionary, int[] indices) {
      int next = 0;
      long[] longs = width == 8 ? dictionaryLongs(dictionary) : null;
      int[] ints = width == 4 ? dictionaryInts(dictionary) : null;
      for (int i = 0; i < count; i++) {
        if (levels == null || levels[i] != 0) {
          int entry = indices[next++];
          values[offset + firstRow + i] = longs != null ? longs[entry] : ints[entry];
          defined[firstRow + i] = true;
        }
      }
    }
  }

  private final class VectorTarget implements Target {
    private final ArrowBuf data;
    private final ArrowBuf validity;

    /**
     * The data buffer as a ByteBuffer: its absolute puts are cheaper per value than ArrowBuf's
     * checked setters, and still bounds-checked.
     */
    private final ByteBuffer out;

    VectorTarget(BaseFixedWidthVector vector) {
      this.data = vector.getDataBuffer();
      this.validity = vector.getValidityBuffer();
      this.out = data.nioBuffer(0, Math.toIntExact(data.capacity())).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void plain(int firstRow, int count, int[] levels, ByteBuffer page) {
      if (levels == null) {
        data.setBytes(
            (long) firstRow * width, page.slice().limit(count * width)); // one copy for the page
        setValid(firstRow, count);
        return;
      }
      int position = page.position();
      for (int i = 0; i < count; i++) {
        if (levels[i] != 0) {
          int at = (firstRow + i) * width;
          if (width == 8) {
            out.putLong(at, page.getLong(position));
          } else {
            out.putInt(at, page.getInt(position));
          }
          BitVectorHelper.setBit(validity, firstRow + i);
          position += width;
        }
      }
    }

    @Override
    public void dictionary(
        int firstRow, int count, int[] levels, ByteBuffer dictionary, int[] indices) {
      int next = 0;
      if (width == 8) {
        long[] entries = dictionaryLongs(dictionary);
        for (int i = 0; i < count; i++) {
          if (levels == null || levels[i] != 0) {
            out.putLong((firstRow + i) * 8, entries[indices[next++]]);
          }
        }
      } else {
        int[] entries = dictionaryInts(dictionary);
        for (int i = 0; i < count; i++) {
          if (levels == null || levels[i] != 0) {
            out.putInt((firstRow + i) * 4, entries[indices[next++]]);
          }
        }
      }
      if (levels == null) {
        setValid(firstRow, count);
      } else {
        for (int i = 0; i < count; i++) {
          if (levels[i] != 0) {
            BitVectorHelper.setBit(validity, firstRow + i);
          }
        }
      }
    }

    /** Marks rows [from, from + count) valid: whole bytes at once, the edges bit by bit. */
    private void setValid(int from, int count) {
      int end = from + count;
      int row = from;
      while (row < end && (row & 7) != 0) {
        BitVectorHelper.setBit(validity, row++);
      }
      int wholeBytes = (end - row) >>> 3;
      if (wholeBytes > 0) {
        validity.setOne(row >>> 3, wholeBytes);
        row += wholeBytes << 3;
      }
      while (row < end) {
        BitVectorHelper.setBit(validity, row++);
      }
    }
  }

  /**
   * Parquet's RLE / bit-packing hybrid: runs of one repeated value, and groups of eight values
   * packed {@code bitWidth} bits each, least significant bit first.
   */
  private static final class Hybrid {
    private final ByteBuffer in;
    private final int bitWidth;

    Hybrid(ByteBuffer in, int bitWidth) {
      if (bitWidth < 0 || bitWidth > 32) {
        throw new IllegalStateException("bit width " + bitWidth + " is out of range");
      }
      this.in = in.order(ByteOrder.LITTLE_ENDIAN);
      this.bitWidth = bitWidth;
    }

    /** Reads {@code count} values into {@code out}; returns how many of them are not zero. */
    int read(int[] out, int count) {
      int filled = 0;
      int nonZero = 0;
      int valueBytes = (bitWidth + 7) / 8;
      long mask = (1L << bitWidth) - 1;
      while (filled < count) {
        int header = readVarInt();
        if ((header & 1) == 0) {
          int value = 0;
          for (int b = 0; b < valueBytes; b++) {
            value |= (in.get() & 0xFF) << (8 * b);
          }
          int end = Math.min(count, filled + (header >>> 1));
          if (end <= filled) {
            throw new IllegalStateException("an empty RLE run");
          }
          Arrays.fill(out, filled, end, value);
          nonZero += value != 0 ? end - filled : 0;
          filled = end;
        } else {
          int groups = header >>> 1;
          if (groups == 0) {
            throw new IllegalStateException("an empty bit-packed run");
          }
          int start = in.position();
          int end = Math.min(count, filled + groups * 8);
          if (bitWidth == 0) {
            Arrays.fill(out, filled, end, 0);
          }
          for (int i = 0; bitWidth > 0 && filled + i < end; i++) {
            long bit = (long) i * bitWidth;
            int at = start + (int) (bit >>> 3);
            long word = at + 8 <= in.limit() ? in.getLong(at) : tail(at);
            int value = (int) ((word >>> (bit & 7)) & mask);
            out[filled + i] = value;
            nonZero += value != 0 ? 1 : 0;
          }
          in.position(start + groups * bitWidth);
          filled = end;
        }
      }
      return nonZero;
    }

    /** The bytes from {@code at} to the end, as the low bytes of a little-endian long. */
    private long tail(int at) {
      long word = 0;
      for (int b = 0; at + b < in.limit(); b++) {
        word |= (long) (in.get(at + b) & 0xFF) << (8 * b);
      }
      return word;
    }

    private int readVarInt() {
      int value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = in.get() & 0xFF;
        value |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalStateException("a malformed varint");
    }
  }
}
