package dev.flightdeck.backend.file;

import static dev.flightdeck.contract.TestTable.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.tables.ParquetColumn;
import dev.flightdeck.tables.ParquetTableReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet list columns in each layout a writer may leave (Feast's and pyarrow's standard 3-level
 * {@code LIST}, the legacy 2-level form, a bare repeated field), read by the store's cached and
 * uncached paths and by the table reader, with null lists, empty lists and null elements apart.
 */
class TestParquetLists {
  private static final String REPOSITORY =
      """
      project: lists
      offline_store: {type: file, cache_size: %s}
      entities:
        - {name: driver, join_keys: [driver_id]}
      data_sources:
        - {name: stats, path: data/stats.parquet, timestamp_field: ts}
      feature_views:
        - name: vectors
          entities: [driver]
          source: stats
          schema:
            - {name: embedding, dtype: %s}
      """;
  private static final String HEADER =
      "message stats { required int64 driver_id; required int64 ts (TIMESTAMP(MICROS,true)); ";
  private static final Instant TEN = at("2024-01-01T10:00:00Z");
  private static final Instant ELEVEN = at("2024-01-01T11:00:00Z");
  private static final Instant NOON = at("2024-01-01T12:00:00Z");

  @TempDir Path repositoryDir;
  private BufferAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  /** A row: driver, time, and the list (null: a null list; a null inside: a null element). */
  private record Row(long driver, Instant ts, List<Float> embedding) {}

  /**
   * Driver 1: a null element; 2: a null list; 3: an empty list; 4: a list, and a later one past
   * every entity time (decoded but not kept); 5: never asked for.
   */
  private static final List<Row> ROWS =
      List.of(
          new Row(1, TEN, Arrays.asList(1.0f, null, 2.0f)),
          new Row(2, TEN, null),
          new Row(3, TEN, List.of()),
          new Row(4, TEN, List.of(3.0f)),
          new Row(4, NOON, List.of(9.0f, 9.5f)),
          new Row(5, TEN, List.of(7.0f)));

  @ParameterizedTest
  @ValueSource(ints = {0, 4})
  void theStandardThreeLevelFormKeepsEveryKindOfNull(int cacheSize) throws IOException {
    write(
        "optional group embedding (LIST) { repeated group list { optional float element; } }",
        ROWS,
        (group, values) -> {
          Group list = group.addGroup("embedding");
          for (Float value : values) {
            Group entry = list.addGroup("list");
            if (value != null) {
              entry.append("element", value);
            }
          }
        });

    assertThat(retrieve(cacheSize))
        .containsExactly(
            Arrays.asList(1.0f, null, 2.0f), null, List.of(), List.of(3.0f), List.of(7.0f));
    assertThat(readTable())
        .containsExactly(
            Arrays.asList(1.0f, null, 2.0f),
            null,
            List.of(),
            List.of(3.0f),
            List.of(9.0f, 9.5f),
            List.of(7.0f));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4})
  void aRequiredListOfRequiredElementsReads(int cacheSize) throws IOException {
    write(
        "required group embedding (LIST) { repeated group list { required float element; } }",
        withoutNulls(),
        (group, values) -> {
          Group list = group.addGroup("embedding");
          values.forEach(value -> list.addGroup("list").append("element", value));
        });

    assertThat(retrieve(cacheSize))
        .containsExactly(List.of(1.0f, 2.0f), List.of(), List.of(), List.of(3.0f), List.of(7.0f));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4})
  void theLegacyTwoLevelFormReads(int cacheSize) throws IOException {
    write(
        "optional group embedding (LIST) { repeated float array; }",
        withoutNullElements(),
        (group, values) -> {
          Group list = group.addGroup("embedding");
          values.forEach(value -> list.append("array", value));
        });

    assertThat(retrieve(cacheSize))
        .containsExactly(List.of(1.0f, 2.0f), null, List.of(), List.of(3.0f), List.of(7.0f));
  }

  @Test
  void writingBackKeepsTheStoredLayout() throws IOException {
    write(
        "optional group embedding (LIST) { repeated float array; }",
        withoutNullElements(),
        (group, values) -> {
          Group list = group.addGroup("embedding");
          values.forEach(value -> list.append("array", value));
        });
    ArrowType float32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    Path file = repositoryDir.resolve("data/stats.parquet");

    try (OfflineStore store = createStore(4, "Array(Float32)");
        VectorSchemaRoot batch =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .list("embedding", float32)
                .row(2L, ELEVEN, List.of(5.0f))
                .build();
        VectorSchemaRoot nullElement =
            TestTable.with(allocator)
                .int64("driver_id")
                .timestamp("ts")
                .list("embedding", float32)
                .row(3L, ELEVEN, Arrays.asList(6.0f, null))
                .build()) {
      assertThat(store.offlineWriteBatch("vectors", batch)).isEqualTo(1);
      assertThatThrownBy(() -> store.offlineWriteBatch("vectors", nullElement))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH))
          .hasMessageContaining(
              "table for feature view 'vectors': column 'embedding' has a null element at row 0,"
                  + " but data/stats.parquet stores its elements as required");
    }
    assertThat(ParquetTableReader.columns(file).get(2).path())
        .containsExactly("embedding", "array");
    assertThat(retrieve(4))
        .containsExactly(
            List.of(1.0f, 2.0f), List.of(5.0f), List.of(), List.of(3.0f), List.of(7.0f));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4})
  void aBareRepeatedFieldReadsAsAList(int cacheSize) throws IOException {
    write(
        "repeated float embedding;",
        withoutNulls(),
        (group, values) -> values.forEach(value -> group.append("embedding", value)));

    assertThat(retrieve(cacheSize))
        .containsExactly(List.of(1.0f, 2.0f), List.of(), List.of(), List.of(3.0f), List.of(7.0f));
  }

  @Test
  void stringListsRead() throws IOException {
    Path file = repositoryDir.resolve("data/stats.parquet");
    MessageType schema =
        MessageTypeParser.parseMessageType(
            HEADER
                + "optional group embedding (LIST) { repeated group list {"
                + " optional binary element (STRING); } } }");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    Group row = groups.newGroup().append("driver_id", 1L).append("ts", micros(TEN));
    Group list = row.addGroup("embedding");
    list.addGroup("list").append("element", "a");
    list.addGroup("list");
    writeGroups(file, schema, List.of(row));

    assertThat(retrieve(0, "Array(String)")).containsExactly(Arrays.asList("a", null));
  }

  @Test
  void aListOfAnotherTypeIsNamedWithBothTypes() throws IOException {
    write(
        "optional group embedding (LIST) { repeated group list { optional float element; } }",
        List.of(),
        (group, values) -> {});

    assertThatThrownBy(() -> createStore(4, "Array(Float64)").close())
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPOSITORY))
        .hasMessageContaining("column 'embedding' in data/stats.parquet is LIST<FLOAT>")
        .hasMessageContaining("the schema declares Array(Float64)");
    assertThatThrownBy(() -> createStore(4, "float32").close())
        .hasMessageContaining("is LIST<FLOAT>, but the schema declares float32");
  }

  @Test
  void aListOfStructsIsRefusedAsNested() throws IOException {
    write(
        "optional group embedding (LIST) { repeated group list {"
            + " optional float x; optional float y; } }",
        List.of(),
        (group, values) -> {});

    assertThatThrownBy(() -> createStore(4, "Array(Float32)").close())
        .hasMessageContaining("feature column 'embedding' in data/stats.parquet is nested")
        .hasMessageContaining("only flat columns and lists of them are supported");
  }

  @Test
  void listsAreWrittenInTheStandardThreeLevelForm() {
    org.apache.arrow.vector.types.pojo.Schema schema =
        new org.apache.arrow.vector.types.pojo.Schema(
            List.of(ValueType.listOf(ValueType.STRING).field("tags")));

    assertThat(
            dev.flightdeck.tables.ParquetTableWriter.parquetSchema(schema)
                .toString()
                .replaceAll("\\s+", " "))
        .contains(
            "optional group tags (LIST) { repeated group list { optional binary element (STRING);"
                + " } }");
  }

  @Test
  void theShapesAreRecognised() {
    MessageType schema =
        MessageTypeParser.parseMessageType(
            "message m { optional group a (LIST) { repeated group list { optional int64 element;"
                + " } } optional group b (LIST) { repeated int32 b_tuple; } repeated binary c"
                + " (STRING); optional group d (LIST) { repeated group array { optional int32 x; }"
                + " } optional group e { optional int32 x; } }");

    ParquetColumn a = ParquetColumn.of(schema.getType("a")).orElseThrow();
    assertThat(a.valueType()).contains(ValueType.listOf(ValueType.INT64));
    assertThat(a.path()).containsExactly("a", "list", "element");
    assertThat(a.list().maxDefinition()).isEqualTo(3);
    assertThat(ParquetColumn.of(schema.getType("b")).orElseThrow().valueType())
        .contains(ValueType.listOf(ValueType.INT32));
    assertThat(ParquetColumn.of(schema.getType("c")).orElseThrow().valueType())
        .contains(ValueType.listOf(ValueType.STRING));
    assertThat(ParquetColumn.of(schema.getType("d"))).isEmpty(); // 'array': a struct element
    assertThat(ParquetColumn.of(schema.getType("e"))).isEmpty();
  }

  private static List<Row> withoutNullElements() {
    List<Row> rows = new ArrayList<>();
    for (Row row : ROWS) {
      rows.add(
          row.embedding() == null || row.embedding().stream().noneMatch(java.util.Objects::isNull)
              ? row
              : new Row(row.driver(), row.ts(), List.of(1.0f, 2.0f)));
    }
    return rows;
  }

  private static List<Row> withoutNulls() {
    List<Row> rows = new ArrayList<>();
    for (Row row : withoutNullElements()) {
      rows.add(row.embedding() == null ? new Row(row.driver(), row.ts(), List.of()) : row);
    }
    return rows;
  }

  private interface ListWriter {
    void add(Group row, List<Float> values);
  }

  private void write(String column, List<Row> rows, ListWriter lists) throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType(HEADER + column + " }");
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    List<Group> written = new ArrayList<>();
    for (Row row : rows) {
      Group group =
          groups.newGroup().append("driver_id", row.driver()).append("ts", micros(row.ts()));
      if (row.embedding() != null) {
        lists.add(group, row.embedding());
      }
      written.add(group);
    }
    writeGroups(repositoryDir.resolve("data/stats.parquet"), schema, written);
  }

  private static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  private static void writeGroups(Path file, MessageType schema, List<Group> rows)
      throws IOException {
    Files.createDirectories(file.getParent());
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(schema).build()) {
      for (Group row : rows) {
        writer.write(row);
      }
    }
  }

  private List<Object> retrieve(int cacheSize) {
    return retrieve(cacheSize, "Array(Float32)");
  }

  /**
   * The embedding of drivers 1 to 5 at 11:00, through the store: driver 4's noon row is decoded
   * past (skipped).
   */
  private List<Object> retrieve(int cacheSize, String dtype) {
    try (OfflineStore store = createStore(cacheSize, dtype);
        VectorSchemaRoot entities = entities(dtype);
        RetrievalJob job =
            store.getHistoricalFeatures(
                HistoricalFeaturesRequest.of(entities, List.of("vectors:embedding")));
        VectorSchemaRoot result = job.toArrow(allocator)) {
      return TableRows.of(result).stream().map(row -> row.get(2)).toList();
    }
  }

  private VectorSchemaRoot entities(String dtype) {
    TestTable entities = TestTable.with(allocator).int64("driver_id").timestamp("event_timestamp");
    if (dtype.equals("Array(String)")) {
      return entities.row(1L, ELEVEN).build();
    }
    return entities
        .row(1L, ELEVEN)
        .row(2L, ELEVEN)
        .row(3L, ELEVEN)
        .row(4L, ELEVEN)
        .row(5L, ELEVEN)
        .build();
  }

  /** The embedding of every row, through the table reader the pulls use. */
  private List<Object> readTable() {
    try (VectorSchemaRoot table =
        ParquetTableReader.read(repositoryDir.resolve("data/stats.parquet"), allocator)) {
      return TableRows.of(table).stream().map(row -> row.get(2)).toList();
    }
  }

  private OfflineStore createStore(int cacheSize, String dtype) {
    FeatureRepository repository = RepositoryLoader.parse(REPOSITORY.formatted(cacheSize, dtype));
    return new FileOfflineStoreFactory()
        .create(new OfflineStoreContext(repository, repositoryDir, allocator));
  }
}
