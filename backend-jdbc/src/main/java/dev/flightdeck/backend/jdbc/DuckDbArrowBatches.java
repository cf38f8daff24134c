package dev.flightdeck.backend.jdbc;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.adapter.jdbc.JdbcFieldInfo;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.duckdb.DuckDBResultSet;

/**
 * A DuckDB result read through DuckDB's own Arrow export ({@code arrowExportStream}, the C data
 * interface): columns arrive as Arrow buffers, tens of times faster than row by row through JDBC,
 * with microseconds and zones intact. DuckDB cuts the stream into batches of exactly the target
 * size (the last one smaller); each column is then served as the caller's type by {@link
 * ServedColumns}.
 */
final class DuckDbArrowBatches implements ResultBatches {
  private final ResultSet resultSet;
  private final ArrowReader reader;
  private final List<ArrowType> types;
  private final List<String> names;
  private final BufferAllocator allocator;

  /**
   * @param types the Arrow type of each result column by position, or null to derive them from the
   *     SQL types
   */
  DuckDbArrowBatches(
      ResultSet resultSet, List<ArrowType> types, BufferAllocator allocator, int batchSize)
      throws SQLException {
    this.resultSet = resultSet;
    this.allocator = allocator;
    ResultSetMetaData metadata = resultSet.getMetaData();
    this.names = new ArrayList<>();
    List<ArrowType> served = new ArrayList<>();
    for (int c = 1; c <= metadata.getColumnCount(); c++) {
      names.add(metadata.getColumnLabel(c));
      served.add(
          types != null
              ? types.get(c - 1)
              : JdbcResultBatches.type(new JdbcFieldInfo(metadata, c), null, metadata));
    }
    this.types = List.copyOf(served);
    this.reader =
        (ArrowReader)
            resultSet.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, batchSize);
  }

  @Override
  public VectorSchemaRoot next() {
    try {
      if (!reader.loadNextBatch()) {
        return null;
      }
      VectorSchemaRoot exported = reader.getVectorSchemaRoot();
      List<FieldVector> columns = new ArrayList<>(types.size());
      try {
        for (int c = 0; c < types.size(); c++) {
          columns.add(
              ServedColumns.serve(exported.getVector(c), types.get(c), allocator, names.get(c)));
        }
      } catch (RuntimeException e) {
        columns.forEach(FieldVector::close);
        throw e;
      }
      VectorSchemaRoot batch = new VectorSchemaRoot(columns);
      batch.setRowCount(exported.getRowCount());
      return batch;
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE, "reading the result failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      // the result set is closed next and the memory freed with it
    } finally {
      try {
        resultSet.close();
      } catch (SQLException e) {
        // the connection is returned or discarded next
      }
    }
  }
}
