package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DuckDB's Arrow export gives the same batches as reading the rows through {@code arrow-jdbc}: the
 * same served types (int16 widened, dates and zoned timestamps as timestamp[us, UTC], decimals at
 * the served scale), values, nulls and batch sizes.
 */
class TestDuckDbArrowBatches {
  private static final String EVERY_TYPE =
      "SELECT i AS id, (i % 300)::SMALLINT AS small, i::INTEGER AS int32, (i * 1.5)::DOUBLE AS dbl,"
          + " (i / 4)::FLOAT AS flt, (i / 3)::DECIMAL(12, 3) AS dec,"
          + " DATE '2024-01-01' + (i % 1000)::INTEGER AS day,"
          + " TIMESTAMP '2024-01-01 00:00:00.000001' + to_microseconds(i * 1000003) AS ts,"
          + " TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_microseconds(i) AS tstz,"
          + " 'v' || i AS str, i % 2 = 0 AS flag, ('b' || i)::BLOB AS bytes"
          + " FROM range(ROWS) t(i)";

  private static final List<ArrowType> SERVED =
      List.of(
          new ArrowType.Int(64, true),
          new ArrowType.Int(32, true),
          new ArrowType.Int(32, true),
          new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
          new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
          new ArrowType.Decimal(12, 3, 128),
          SqlTypes.MICROS_UTC,
          SqlTypes.MICROS_UTC,
          SqlTypes.MICROS_UTC,
          ArrowType.Utf8.INSTANCE,
          ArrowType.Bool.INSTANCE,
          ArrowType.Binary.INSTANCE);

  private BufferAllocator allocator;
  private Connection connection;

  @BeforeEach
  void open() throws SQLException {
    allocator = new RootAllocator();
    connection = DriverManager.getConnection("jdbc:duckdb:");
    new DuckDbDialect().setUp(connection);
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
    allocator.close(); // fails on a leak
  }

  @Test
  void exportedBatchesEqualTheJdbcReadersInTypesValuesAndSizes() throws SQLException {
    // Every fifth row null in every column; 2.5 batches.
    String sql =
        "SELECT "
            + String.join(
                ", ",
                List.of(
                    "id",
                    "CASE WHEN id % 5 <> 4 THEN small END",
                    "CASE WHEN id % 5 <> 4 THEN int32 END",
                    "CASE WHEN id % 5 <> 4 THEN dbl END",
                    "CASE WHEN id % 5 <> 4 THEN flt END",
                    "CASE WHEN id % 5 <> 4 THEN dec END",
                    "CASE WHEN id % 5 <> 4 THEN day END",
                    "CASE WHEN id % 5 <> 4 THEN ts END",
                    "CASE WHEN id % 5 <> 4 THEN tstz END",
                    "CASE WHEN id % 5 <> 4 THEN str END",
                    "CASE WHEN id % 5 <> 4 THEN flag END",
                    "CASE WHEN id % 5 <> 4 THEN bytes END"))
            + " FROM ("
            + EVERY_TYPE.replace("ROWS", "2500")
            + ") ORDER BY id";
    List<String> viaJdbc;
    List<String> viaArrow;
    try (Statement statement = connection.createStatement();
        ResultBatches batches =
            new JdbcResultBatches(statement.executeQuery(sql), SERVED, allocator, 1_000)) {
      viaJdbc = contents(batches);
    }
    try (Statement statement = connection.createStatement();
        ResultBatches batches =
            new DuckDbArrowBatches(statement.executeQuery(sql), SERVED, allocator, 1_000)) {
      viaArrow = contents(batches);
    }
    assertThat(viaArrow).hasSize(3).isEqualTo(viaJdbc);
  }

  @Test
  void typesDerivedFromSqlWhenNotGiven() throws SQLException {
    String sql = EVERY_TYPE.replace("ROWS", "10");
    try (Statement statement = connection.createStatement();
        ResultBatches batches =
            new DuckDbArrowBatches(statement.executeQuery(sql), null, allocator, 1_000);
        VectorSchemaRoot batch = batches.next()) {
      assertThat(batch.getSchema().getFields())
          .extracting(field -> field.getType())
          .containsExactlyElementsOf(SERVED);
      assertThat(batch.getRowCount()).isEqualTo(10);
      assertThat(batches.next()).isNull();
    }
  }

  @Test
  void aColumnThatCannotBeServedIsNamed() throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultBatches batches =
            new DuckDbArrowBatches(
                statement.executeQuery("SELECT [1, 2] AS numbers"),
                List.of(new ArrowType.Int(64, true)),
                allocator,
                1_000)) {
      assertThatThrownBy(batches::next)
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA_SOURCE))
          .hasMessageContaining("'numbers'");
    }
  }

  /** Each batch's schema and values as text, closing the batches. */
  private static List<String> contents(ResultBatches batches) {
    List<String> contents = new ArrayList<>();
    while (true) {
      try (VectorSchemaRoot batch = batches.next()) {
        if (batch == null) {
          return contents;
        }
        List<String> types = new ArrayList<>();
        batch.getSchema().getFields().forEach(field -> types.add(field.getType().toString()));
        StringBuilder text = new StringBuilder(types.toString());
        for (int row = 0; row < batch.getRowCount(); row++) {
          text.append('\n');
          for (FieldVector vector : batch.getFieldVectors()) {
            Object value = vector.getObject(row);
            text.append(value instanceof byte[] bytes ? Arrays.toString(bytes) : value)
                .append('\t');
          }
        }
        contents.add(text.toString());
      }
    }
  }
}
