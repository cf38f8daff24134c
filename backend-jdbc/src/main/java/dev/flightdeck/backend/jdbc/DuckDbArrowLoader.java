package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;

/**
 * Entity rows handed to DuckDB as Arrow buffers (the C data interface, {@code registerArrowStream})
 * and copied into the table by one {@code INSERT ... SELECT}: DuckDB reads whole columns, where its
 * Appender takes a JNI call per value (a million bench rows: 0.3–0.5 s through the Appender). Like
 * the Appender, it fills the table's columns in order.
 */
final class DuckDbArrowLoader implements RowLoader {
  private final String table;

  /**
   * @param table the temporary table's plain name, which names the registered stream after it
   */
  DuckDbArrowLoader(String table) {
    this.table = requireNonNull(table, "table is null");
  }

  @Override
  public void load(
      Connection connection,
      String quotedTable,
      List<String> quotedColumns,
      List<FieldVector> columns,
      int rowCount)
      throws SQLException {
    BufferAllocator allocator = columns.get(0).getAllocator();
    String stream = table + "_arrow";
    try (ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
      // The reader is DuckDB's from here: it closes it when it has scanned the rows.
      Data.exportArrayStream(allocator, new OneBatch(allocator, columns, rowCount), exported);
      connection.unwrap(DuckDBConnection.class).registerArrowStream(stream, exported);
      try (Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO " + quotedTable + " SELECT * FROM \"" + stream + "\"");
      } finally {
        try (Statement drop = connection.createStatement()) {
          drop.execute("DROP VIEW IF EXISTS \"" + stream + "\"");
        }
      }
    }
  }

  /** The caller's columns as one batch, lent (not copied) to the reader's own root. */
  private static final class OneBatch extends ArrowReader {
    private final VectorSchemaRoot columns;
    private boolean read;

    OneBatch(BufferAllocator allocator, List<FieldVector> columns, int rowCount) {
      super(allocator);
      this.columns = new VectorSchemaRoot(columns);
      this.columns.setRowCount(rowCount);
    }

    @Override
    public boolean loadNextBatch() throws IOException {
      prepareLoadNextBatch();
      if (read) {
        return false;
      }
      read = true;
      ArrowRecordBatch batch = new VectorUnloader(columns).getRecordBatch();
      loadRecordBatch(batch); // closes the batch; the root keeps its own references
      return true;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {
      // The columns are the caller's.
    }

    /**
     * The columns' schema with timestamps zone-less: the table's columns are plain {@code
     * TIMESTAMP}s (UTC by convention), and a zoned one would be cast value by value through ICU.
     */
    @Override
    protected Schema readSchema() {
      List<Field> fields = new ArrayList<>();
      for (Field field : columns.getSchema().getFields()) {
        fields.add(
            field.getType() instanceof ArrowType.Timestamp timestamp
                    && timestamp.getTimezone() != null
                ? new Field(
                    field.getName(),
                    new FieldType(
                        field.isNullable(),
                        new ArrowType.Timestamp(timestamp.getUnit(), null),
                        null),
                    List.of())
                : field);
      }
      return new Schema(fields);
    }
  }
}
