package dev.flightdeck.backend.jdbc;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import org.apache.arrow.adapter.jdbc.ArrowVectorIterator;
import org.apache.arrow.adapter.jdbc.JdbcFieldInfo;
import org.apache.arrow.adapter.jdbc.JdbcToArrow;
import org.apache.arrow.adapter.jdbc.JdbcToArrowConfig;
import org.apache.arrow.adapter.jdbc.JdbcToArrowConfigBuilder;
import org.apache.arrow.adapter.jdbc.JdbcToArrowUtils;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * A result set read by {@code arrow-jdbc}'s iterator in batches of a target size, each column as
 * the Arrow type the caller expects (or the served type of its SQL type), through {@link
 * ArrowConsumers}. Works with any driver; the default of {@link Dialect#resultBatches}.
 */
final class JdbcResultBatches implements ResultBatches {
  private final ResultSet resultSet;
  private final ArrowVectorIterator iterator;

  /**
   * @param types the Arrow type of each result column by position, or null to derive them from the
   *     SQL types
   */
  JdbcResultBatches(
      ResultSet resultSet, List<ArrowType> types, BufferAllocator allocator, int batchSize)
      throws SQLException {
    this.resultSet = resultSet;
    ResultSetMetaData metadata = resultSet.getMetaData();
    JdbcToArrowConfig config =
        new JdbcToArrowConfigBuilder(allocator, JdbcToArrowUtils.getUtcCalendar())
            .setTargetBatchSize(batchSize)
            .setReuseVectorSchemaRoot(false)
            .setJdbcToArrowTypeConverter(field -> type(field, types, metadata))
            .setJdbcConsumerGetter(ArrowConsumers::create)
            .build();
    try {
      this.iterator = JdbcToArrow.sqlToArrowVectorIterator(resultSet, config);
    } catch (IOException e) {
      throw new SQLException("cannot read the result as Arrow: " + e.getMessage(), e);
    }
  }

  static ArrowType type(JdbcFieldInfo field, List<ArrowType> types, ResultSetMetaData metadata) {
    if (types != null) {
      return types.get(field.getColumn() - 1);
    }
    try {
      return SqlTypes.arrow(field, metadata.getColumnLabel(field.getColumn()));
    } catch (SQLException e) {
      return SqlTypes.arrow(field, "#" + field.getColumn());
    }
  }

  @Override
  public VectorSchemaRoot next() {
    try {
      return iterator.hasNext() ? iterator.next() : null;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause();
      if (cause instanceof FlightdeckException flightdeck) {
        throw flightdeck;
      }
      if (cause instanceof SQLException || cause instanceof IOException) {
        throw new FlightdeckException(
            ErrorCode.BACKEND_FAILURE, "reading the result failed: " + cause.getMessage(), e);
      }
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      iterator.close();
    } finally {
      try {
        resultSet.close();
      } catch (SQLException e) {
        // the connection is returned or discarded next
      }
    }
  }
}
