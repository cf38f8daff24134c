package dev.flightdeck.tables;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Opens Parquet files for reading. Each file is opened once, as one channel that serves both its
 * length and its bytes: parquet-mr's {@code LocalInputFile} asks the path for its size and opens it
 * again, so a file replaced in between (a concurrent write batch renames a new file into place)
 * would be read with another file's footer offsets. The configuration is built once (building one
 * parses Hadoop's XML, about a millisecond); the read options are made per file, since they carry a
 * codec factory whose decompressor cache is not safe to share between concurrent readers.
 */
public final class ParquetFiles {
  private static final ParquetConfiguration CONFIGURATION =
      new HadoopParquetConfiguration(new Configuration());

  private ParquetFiles() {}

  /** A reader of {@code file}, owned by the caller; it closes the file with itself. */
  public static ParquetFileReader open(Path file) throws IOException {
    return open(FileChannel.open(file, StandardOpenOption.READ));
  }

  /**
   * A reader of the file open as {@code channel}, which the reader closes with itself (or at once,
   * when the file is not Parquet). The caller may read the same channel too, e.g. map it, for as
   * long as the reader is open.
   */
  public static ParquetFileReader open(FileChannel channel) throws IOException {
    try {
      return ParquetFileReader.open(
          new ChannelInputFile(channel), ParquetReadOptions.builder(CONFIGURATION).build());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * A codec factory for decompressing pages read outside a reader; its decompressors are not safe
   * to share between threads, and the caller releases it.
   */
  public static CompressionCodecFactory codecs() {
    return new CodecFactory(CONFIGURATION, 0);
  }

  /** One open channel; the stream's close closes it, as the reader closes its one stream. */
  private record ChannelInputFile(FileChannel channel) implements InputFile {
    @Override
    public long getLength() throws IOException {
      return channel.size();
    }

    @Override
    public SeekableInputStream newStream() {
      return new ChannelStream(channel);
    }
  }

  private static final class ChannelStream extends SeekableInputStream {
    private final FileChannel channel;
    private long position;

    ChannelStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void seek(long newPos) {
      position = newPos;
    }

    @Override
    public int read() throws IOException {
      ByteBuffer one = ByteBuffer.allocate(1);
      return read(one) < 0 ? -1 : one.get(0) & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      return read(ByteBuffer.wrap(bytes, offset, length));
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
      readFully(ByteBuffer.wrap(bytes));
    }

    @Override
    public void readFully(byte[] bytes, int offset, int length) throws IOException {
      readFully(ByteBuffer.wrap(bytes, offset, length));
    }

    @Override
    public int read(ByteBuffer buffer) throws IOException {
      if (!buffer.hasRemaining()) {
        return 0;
      }
      int read = channel.read(buffer, position);
      if (read > 0) {
        position += read;
      }
      return read;
    }

    @Override
    public void readFully(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining()) {
        if (read(buffer) < 0) {
          throw new EOFException(
              "reached the end of the file with " + buffer.remaining() + " bytes still to read");
        }
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
