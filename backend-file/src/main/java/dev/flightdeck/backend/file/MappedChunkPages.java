package dev.flightdeck.backend.file;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * One column chunk's pages, read from the file mapped into memory, for {@link FixedWidthPages}.
 * parquet-mr first copies a row group's chunks into fresh heap buffers; an uncompressed page here
 * is a view of the file's cached pages instead, and a compressed one is decompressed from there. In
 * a VM the first touch of fresh memory costs more than decoding it (docs/performance.md), and a
 * cold view load is mostly first touches.
 *
 * <p>Not thread-safe: one reader, one thread, as the decompressor requires.
 */
final class MappedChunkPages implements PageReader {
  private final ByteBuffer chunk;
  private final long valueCount;
  private final CompressionCodecName codec;
  private final CompressionCodecFactory codecs;
  private final String description;
  private DictionaryPage dictionary;
  private long valuesRead;

  private MappedChunkPages(
      ByteBuffer chunk, ColumnChunkMetaData metadata, CompressionCodecFactory codecs) {
    this.chunk = chunk;
    this.valueCount = metadata.getValueCount();
    this.codec = metadata.getCodec();
    this.codecs = codecs;
    this.description = "column chunk " + metadata.getPath();
  }

  /**
   * Maps {@code metadata}'s chunk of the file open as {@code channel}; {@code codecs} decompresses
   * its pages (the caller's reader's, used on this thread only).
   */
  static MappedChunkPages open(
      FileChannel channel, ColumnChunkMetaData metadata, CompressionCodecFactory codecs)
      throws IOException {
    long start = metadata.getStartingPos();
    long length = metadata.getTotalSize();
    if (start < 0 || length < 0 || length > Integer.MAX_VALUE || start + length > channel.size()) {
      throw new IOException(
          "column chunk "
              + metadata.getPath()
              + " lies outside the file ("
              + length
              + " bytes at "
              + start
              + " of "
              + channel.size()
              + "): the file is corrupt");
    }
    MappedChunkPages pages =
        new MappedChunkPages(
            channel.map(FileChannel.MapMode.READ_ONLY, start, length), metadata, codecs);
    pages.readDictionary();
    return pages;
  }

  /** A dictionary page comes first when there is one. */
  private void readDictionary() {
    if (!chunk.hasRemaining()) {
      return;
    }
    int mark = chunk.position();
    PageHeader header = nextHeader();
    if (header.getType() != PageType.DICTIONARY_PAGE) {
      chunk.position(mark);
      return;
    }
    dictionary =
        new DictionaryPage(
            decompressed(body(header), header.getUncompressed_page_size()),
            header.getDictionary_page_header().getNum_values(),
            encoding(header.getDictionary_page_header().getEncoding()));
  }

  @Override
  public DictionaryPage readDictionaryPage() {
    return dictionary;
  }

  @Override
  public long getTotalValueCount() {
    return valueCount;
  }

  @Override
  public DataPage readPage() {
    while (valuesRead < valueCount && chunk.hasRemaining()) {
      PageHeader header = nextHeader();
      switch (header.getType()) {
        case DATA_PAGE -> {
          DataPageHeader page = header.getData_page_header();
          valuesRead += page.getNum_values();
          return new DataPageV1(
              decompressed(body(header), header.getUncompressed_page_size()),
              page.getNum_values(),
              header.getUncompressed_page_size(),
              null, // statistics: FixedWidthPages never asks
              encoding(page.getRepetition_level_encoding()),
              encoding(page.getDefinition_level_encoding()),
              encoding(page.getEncoding()));
        }
        case DATA_PAGE_V2 -> {
          DataPageHeaderV2 page = header.getData_page_header_v2();
          valuesRead += page.getNum_values();
          return pageV2(header, page);
        }
        default -> body(header); // an index page, or another dictionary: nothing to decode
      }
    }
    return null;
  }

  /** Levels are never compressed in a V2 page; the values are when the header says so. */
  private DataPage pageV2(PageHeader header, DataPageHeaderV2 page) {
    ByteBuffer body = body(header);
    int repetitionBytes = page.getRepetition_levels_byte_length();
    int definitionBytes = page.getDefinition_levels_byte_length();
    BytesInput repetition = BytesInput.from(body.slice(0, repetitionBytes));
    BytesInput definition = BytesInput.from(body.slice(repetitionBytes, definitionBytes));
    int levels = repetitionBytes + definitionBytes;
    ByteBuffer values = body.slice(levels, body.remaining() - levels);
    BytesInput data =
        page.isIs_compressed()
            ? decompressed(values, header.getUncompressed_page_size() - levels)
            : BytesInput.from(values);
    return DataPageV2.uncompressed(
        page.getNum_rows(),
        page.getNum_nulls(),
        page.getNum_values(),
        repetition,
        definition,
        encoding(page.getEncoding()),
        data,
        null);
  }

  private PageHeader nextHeader() {
    try {
      return Util.readPageHeader(new BufferStream(chunk));
    } catch (IOException e) {
      throw new UncheckedIOException(description + ": unreadable page header", e);
    }
  }

  /** The page's bytes as stored, moving past them. */
  private ByteBuffer body(PageHeader header) {
    int length = header.getCompressed_page_size();
    if (length < 0 || length > chunk.remaining()) {
      throw new UncheckedIOException(
          new IOException(
              description
                  + ": a page of "
                  + length
                  + " bytes with "
                  + chunk.remaining()
                  + " left in the chunk"));
    }
    ByteBuffer body = chunk.slice(chunk.position(), length);
    chunk.position(chunk.position() + length);
    return body;
  }

  private BytesInput decompressed(ByteBuffer stored, int uncompressedSize) {
    if (codec == CompressionCodecName.UNCOMPRESSED) {
      return BytesInput.from(stored);
    }
    try {
      return codecs.getDecompressor(codec).decompress(BytesInput.from(stored), uncompressedSize);
    } catch (IOException e) {
      throw new UncheckedIOException(description + ": a page did not decompress", e);
    }
  }

  private static Encoding encoding(org.apache.parquet.format.Encoding encoding) {
    return Encoding.valueOf(encoding.name());
  }

  /** Reads a buffer from its position on, moving it: the page header parser's input. */
  private static final class BufferStream extends InputStream {
    private final ByteBuffer buffer;

    BufferStream(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int count = Math.min(length, buffer.remaining());
      buffer.get(bytes, offset, count);
      return count;
    }
  }
}
