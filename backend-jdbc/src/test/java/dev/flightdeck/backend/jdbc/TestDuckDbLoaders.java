package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A large entity table into DuckDB, through its Appender and as Arrow buffers, in a transaction, as
 * a retrieval loads it.
 */
class TestDuckDbLoaders {
  private static final int ROWS = 300_000;

  static List<RowLoader> loaders() {
    return List.of(
        new DuckDbAppenderLoader("fd_entities_test"), new DuckDbArrowLoader("fd_entities_test"));
  }

  @ParameterizedTest
  @MethodSource("loaders")
  void everyRowArrivesWithItsNullsIntsStringsAndTimestamps(RowLoader loader) throws SQLException {
    try (BufferAllocator allocator = new RootAllocator();
        Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        BigIntVector rows = new BigIntVector("fd_row", allocator);
        IntVector ints = new IntVector("k_int", allocator);
        VarCharVector strings = new VarCharVector("k_str", allocator);
        TimeStampMilliVector millis = new TimeStampMilliVector("fd_ts", allocator);
        TimeStampMicroTZVector micros =
            new TimeStampMicroTZVector("fd_lower_0", allocator, "UTC")) {
      new DuckDbDialect().setUp(connection);
      rows.allocateNew(ROWS);
      ints.allocateNew(ROWS);
      strings.allocateNew(ROWS);
      millis.allocateNew(ROWS);
      micros.allocateNew(ROWS);
      for (int row = 0; row < ROWS; row++) {
        rows.set(row, row);
        if (row % 7 == 0) {
          ints.setNull(row);
          strings.setNull(row);
        } else {
          ints.set(row, row % 1000 - 500);
          strings.setSafe(row, new Text("key-" + row));
        }
        millis.set(row, 1_704_067_200_000L + row);
        micros.set(row, 1_704_067_200_000_000L + row * 1_000L - 7);
      }
      List<FieldVector> columns = List.of(rows, ints, strings, millis, micros);
      columns.forEach(vector -> vector.setValueCount(ROWS));
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            new DuckDbDialect()
                .createTemporaryTable(
                    "\"fd_entities_test\"",
                    "fd_row BIGINT, k_int BIGINT, k_str VARCHAR, fd_ts TIMESTAMP,"
                        + " fd_lower_0 TIMESTAMP"));
      }
      loader.load(connection, "\"fd_entities_test\"", List.of(), columns, ROWS);

      try (Statement statement = connection.createStatement();
          ResultSet result =
              statement.executeQuery(
                  "SELECT count(*), count(k_int), count(k_str), sum(fd_row),"
                      + " sum(k_int), max(k_str), min(epoch_us(fd_ts)), max(epoch_us(fd_ts)),"
                      + " sum(epoch_us(fd_lower_0) - epoch_us(fd_ts))"
                      + " FROM fd_entities_test")) {
        result.next();
        long nulls = (ROWS + 6) / 7;
        assertThat(result.getLong(1)).isEqualTo(ROWS);
        assertThat(result.getLong(2)).isEqualTo(ROWS - nulls);
        assertThat(result.getLong(3)).isEqualTo(ROWS - nulls);
        assertThat(result.getLong(4)).isEqualTo((long) ROWS * (ROWS - 1) / 2);
        long keySum = 0;
        for (int row = 0; row < ROWS; row++) {
          keySum += row % 7 == 0 ? 0 : row % 1000 - 500;
        }
        assertThat(result.getLong(5)).isEqualTo(keySum);
        assertThat(result.getString(6)).isEqualTo("key-99999");
        assertThat(result.getLong(7)).isEqualTo(1_704_067_200_000_000L);
        assertThat(result.getLong(8)).isEqualTo(1_704_067_200_000_000L + (ROWS - 1) * 1_000L);
        assertThat(result.getLong(9)).isEqualTo(-7L * ROWS);
      }
      connection.rollback();
    }
  }
}
