package dev.flightdeck.tables;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCsvTables {
  @TempDir Path folder;
  private BufferAllocator allocator;

  @BeforeEach
  void open() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void close() {
    allocator.close();
  }

  @Test
  void infersTypesAndReadsQuotesAndNulls() throws Exception {
    Path file = folder.resolve("entities.csv");
    Files.writeString(
        file,
        "driver_id,event_timestamp,rate,ok,note\r\n"
            + "1001,2024-01-01T10:30:00Z,0.5,true,\"a, \"\"quoted\"\"\nnote\"\n"
            + "1002,2024-01-02 00:00:00,,false,\"\"\n"
            + "1003,2024-01-03,2,,plain\n",
        UTF_8);

    try (VectorSchemaRoot table = CsvTables.read(file, allocator)) {
      assertThat(table.getSchema().getFields())
          .extracting(Field::getType)
          .containsExactly(
              new ArrowType.Int(64, true),
              new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"),
              new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
              ArrowType.Bool.INSTANCE,
              ArrowType.Utf8.INSTANCE);
      assertThat(TableRows.of(table))
          .containsExactly(
              List.of(
                  1001L, Instant.parse("2024-01-01T10:30:00Z"), 0.5, true, "a, \"quoted\"\nnote"),
              Arrays.asList(1002L, Instant.parse("2024-01-02T00:00:00Z"), null, false, ""),
              Arrays.asList(1003L, Instant.parse("2024-01-03T00:00:00Z"), 2.0, null, "plain"));
    }
  }

  @Test
  void listsAreWrittenAsJsonArrays() throws Exception {
    StringWriter out = new StringWriter();
    try (VectorSchemaRoot table =
        dev.flightdeck.contract.TestTable.with(allocator)
            .int64("id")
            .list("embedding", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))
            .list("tags", ArrowType.Utf8.INSTANCE)
            .list("seen", new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"))
            .row(1L, Arrays.asList(1.5f, null), List.of("a\"b", "c,d"), List.of(Instant.EPOCH))
            .row(2L, null, List.of(), null)
            .build()) {
      CsvTables.writeHeader(table.getSchema(), out);
      CsvTables.writeRows(table, out);
    }
    assertThat(out.toString())
        .isEqualTo(
            "id,embedding,tags,seen\n"
                + "1,\"[1.5,null]\",\"[\"\"a\\\"\"b\"\",\"\"c,d\"\"]\","
                + "\"[\"\"1970-01-01T00:00:00Z\"\"]\"\n"
                + "2,,[],\n");
  }

  @Test
  void writesWhatItReads() throws Exception {
    Path file = folder.resolve("in.csv");
    Files.writeString(
        file, "id,name,at\n1,\"x,y\",2024-01-01T00:00:00Z\n2,,2024-01-02T00:00:00Z\n", UTF_8);
    StringWriter out = new StringWriter();
    try (VectorSchemaRoot table = CsvTables.read(file, allocator)) {
      CsvTables.writeHeader(table.getSchema(), out);
      CsvTables.writeRows(table, out);
    }
    assertThat(out.toString())
        .isEqualTo("id,name,at\n1,\"x,y\",2024-01-01T00:00:00Z\n2,,2024-01-02T00:00:00Z\n");
  }

  @Test
  void raggedRowsAreNamed() throws Exception {
    Path file = folder.resolve("bad.csv");
    Files.writeString(file, "a,b\n1,2\n3\n", UTF_8);
    assertThatThrownBy(() -> CsvTables.read(file, allocator))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
        .hasMessageContaining("bad.csv line 3 has 1 fields, the header has 2");
  }
}
