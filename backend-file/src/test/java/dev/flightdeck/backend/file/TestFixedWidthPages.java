package dev.flightdeck.backend.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.tables.ParquetFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.example.DummyRecordConverter;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link FixedWidthPages} against parquet-mr's own column reader, value for value, on files written
 * with each page version, dictionary or plain values, several codecs, nulls scattered and in whole
 * pages, and many pages and row groups per file.
 */
class TestFixedWidthPages {
  private static final int ROWS = 30_000;
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message test {
            optional int64 longs;
            optional int32 ints;
            optional float floats;
            optional double doubles;
            required int64 required_longs;
          }
          """);

  @TempDir Path dir;
  private final BufferAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  static Stream<Arguments> layouts() {
    List<Arguments> layouts = new ArrayList<>();
    for (WriterVersion version : WriterVersion.values()) {
      for (boolean dictionary : new boolean[] {true, false}) {
        for (CompressionCodecName codec :
            List.of(
                CompressionCodecName.UNCOMPRESSED,
                CompressionCodecName.SNAPPY,
                CompressionCodecName.GZIP)) {
          // 50 distinct values stay in the dictionary; 1M make parquet-mr fall back mid-chunk
          for (int cardinality : new int[] {50, 1_000_000}) {
            layouts.add(Arguments.of(version, dictionary, codec, cardinality));
          }
        }
      }
    }
    return layouts.stream();
  }

  @ParameterizedTest(name = "{0} dictionary={1} {2} distinct={3}")
  @MethodSource("layouts")
  void decodesEveryValueAsParquetMrDoes(
      WriterVersion version, boolean dictionary, CompressionCodecName codec, int cardinality)
      throws IOException {
    Path file = dir.resolve("values.parquet");
    write(file, version, dictionary, codec, cardinality);

    int[] fastChunks = {0};
    forEachRowGroup(
        file,
        (rows, block, fastPages, store) -> {
          for (ColumnDescriptor column : SCHEMA.getColumns()) {
            List<Object> want = readWithColumnReader(store.getColumnReader(column), rows);
            if (!FixedWidthPages.supports(column, chunk(block, column))) {
              continue;
            }
            fastChunks[0]++;
            assertThat(readVector(column, fastPages, rows))
                .as("column %s", column.getPath()[0])
                .isEqualTo(want);
          }
        });
    if (version == WriterVersion.PARQUET_1_0 || (dictionary && cardinality == 50)) {
      // parquet-mr's V1 writer uses only PLAIN and dictionary values, its V2 writer dictionaries
      // while they fit (else DELTA encodings, which the column reader decodes)
      assertThat(fastChunks[0]).isGreaterThan(SCHEMA.getColumns().size());
    }
  }

  @ParameterizedTest(name = "{0} dictionary={1}")
  @MethodSource("layouts")
  void readsIntegerColumnsAsLongs(
      WriterVersion version, boolean dictionary, CompressionCodecName codec, int cardinality)
      throws IOException {
    Path file = dir.resolve("longs.parquet");
    write(file, version, dictionary, codec, cardinality);
    forEachRowGroup(
        file,
        (rows, block, fastPages, store) -> {
          for (String name : List.of("longs", "ints", "required_longs")) {
            ColumnDescriptor column = SCHEMA.getColumnDescription(new String[] {name});
            List<Object> want = readWithColumnReader(store.getColumnReader(column), rows);
            if (!FixedWidthPages.supports(column, chunk(block, column))) {
              continue;
            }
            long[] values = new long[rows];
            boolean[] defined = new boolean[rows];
            FixedWidthPages.readLongs(column, fastPages.getPageReader(column), values, 0, defined);
            List<Object> got = new ArrayList<>();
            for (int row = 0; row < rows; row++) {
              got.add(
                  !defined[row]
                      ? null
                      : name.equals("ints") ? (Object) (int) values[row] : values[row]);
            }
            assertThat(got).as("column %s", name).isEqualTo(want);
          }
        });
  }

  /** The same chunks read mapped ({@link MappedChunkPages}): V1 and V2 pages, every codec. */
  @ParameterizedTest(name = "{0} dictionary={1} {2} distinct={3}")
  @MethodSource("layouts")
  void decodesMappedChunksAsParquetMrDoes(
      WriterVersion version, boolean dictionary, CompressionCodecName codec, int cardinality)
      throws IOException {
    Path file = dir.resolve("mapped.parquet");
    write(file, version, dictionary, codec, cardinality);
    CompressionCodecFactory codecs = ParquetFiles.codecs();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      int[] mappedChunks = {0};
      forEachRowGroup(
          file,
          (rows, block, fastPages, store) -> {
            for (ColumnDescriptor column : SCHEMA.getColumns()) {
              List<Object> want = readWithColumnReader(store.getColumnReader(column), rows);
              ColumnChunkMetaData chunk = chunk(block, column);
              if (!FixedWidthPages.supports(column, chunk)) {
                continue;
              }
              mappedChunks[0]++;
              PageReader mapped = MappedChunkPages.open(channel, chunk, codecs);
              assertThat(mapped.getTotalValueCount()).isEqualTo(rows);
              assertThat(readVector(column, mapped, rows))
                  .as("column %s", column.getPath()[0])
                  .isEqualTo(want);
            }
          });
      if (version == WriterVersion.PARQUET_1_0 || (dictionary && cardinality == 50)) {
        assertThat(mappedChunks[0]).isGreaterThan(SCHEMA.getColumns().size());
      }
    } finally {
      codecs.release();
    }
  }

  /** Each row group of {@code file}, read twice: for the decoder, and for parquet-mr's reader. */
  private interface RowGroupCheck {
    void check(int rows, BlockMetaData block, PageReadStore fastPages, ColumnReadStoreImpl expected)
        throws IOException;
  }

  private static void forEachRowGroup(Path file, RowGroupCheck check) throws IOException {
    try (ParquetFileReader fast = ParquetFiles.open(file);
        ParquetFileReader expected = ParquetFiles.open(file)) {
      assertThat(fast.getRowGroups()).as("row groups").hasSizeGreaterThan(1);
      for (BlockMetaData block : fast.getRowGroups()) {
        PageReadStore fastPages = fast.readNextRowGroup();
        ColumnReadStoreImpl store =
            new ColumnReadStoreImpl(
                expected.readNextRowGroup(),
                new DummyRecordConverter(SCHEMA).getRootConverter(),
                SCHEMA,
                fast.getFooter().getFileMetaData().getCreatedBy());
        check.check(Math.toIntExact(block.getRowCount()), block, fastPages, store);
      }
    }
  }

  private List<Object> readVector(ColumnDescriptor column, PageReadStore pages, int rows) {
    return readVector(column, pages.getPageReader(column), rows);
  }

  private List<Object> readVector(ColumnDescriptor column, PageReader pages, int rows) {
    try (BaseFixedWidthVector vector = vectorFor(column)) {
      vector.allocateNew(rows);
      FixedWidthPages.readInto(column, pages, vector);
      vector.setValueCount(rows);
      List<Object> values = new ArrayList<>();
      for (int row = 0; row < rows; row++) {
        values.add(vector.getObject(row));
      }
      return values;
    }
  }

  private BaseFixedWidthVector vectorFor(ColumnDescriptor column) {
    String name = column.getPath()[0];
    return switch (column.getPrimitiveType().getPrimitiveTypeName()) {
      case INT64 -> new BigIntVector(name, allocator);
      case INT32 -> new IntVector(name, allocator);
      case FLOAT -> new Float4Vector(name, allocator);
      case DOUBLE -> new Float8Vector(name, allocator);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static List<Object> readWithColumnReader(ColumnReader reader, int rows) {
    int maxDefinition = reader.getDescriptor().getMaxDefinitionLevel();
    List<Object> values = new ArrayList<>();
    for (int row = 0; row < rows; row++) {
      if (reader.getCurrentDefinitionLevel() < maxDefinition) {
        values.add(null);
      } else {
        values.add(
            switch (reader.getDescriptor().getPrimitiveType().getPrimitiveTypeName()) {
              case INT64 -> reader.getLong();
              case INT32 -> reader.getInteger();
              case FLOAT -> reader.getFloat();
              case DOUBLE -> reader.getDouble();
              default -> throw new IllegalArgumentException();
            });
      }
      reader.consume();
    }
    return values;
  }

  private static ColumnChunkMetaData chunk(BlockMetaData block, ColumnDescriptor column) {
    return block.getColumns().stream()
        .filter(chunk -> chunk.getPath().toDotString().equals(column.getPath()[0]))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Small pages and row groups so a file has many of each; nulls every 13th row and in a stretch of
   * 2,000 rows (whole pages of nulls) in the optional columns.
   */
  private static void write(
      Path file,
      WriterVersion version,
      boolean dictionary,
      CompressionCodecName codec,
      int cardinality)
      throws IOException {
    SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(file))
            .withType(SCHEMA)
            .withWriterVersion(version)
            .withDictionaryEncoding(dictionary)
            .withDictionaryPageSize(4096)
            .withCompressionCodec(codec)
            .withPageSize(2048)
            .withPageRowCountLimit(1000)
            .withRowGroupSize(24 * 1024L)
            .build()) {
      for (int row = 0; row < ROWS; row++) {
        long value = (row * 7919L) % cardinality - cardinality / 2;
        Group group = groups.newGroup();
        group.add("required_longs", value * 3);
        if (row % 13 != 5 && (row < 10_000 || row >= 12_000)) {
          group.add("longs", value);
          group.add("ints", (int) value);
          group.add("floats", value / 4f);
          group.add("doubles", value / 8d);
        }
        writer.write(group);
      }
    }
  }
}
