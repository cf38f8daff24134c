package dev.flightdeck.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.Params;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code get_table_column_names_and_types}: the source's columns as a table of {@code name} and
 * {@code type} (both utf8), one row per column in storage order.
 */
final class TableColumnsHandler implements ApiHandler {
  static final Schema SCHEMA =
      new Schema(
          List.of(
              Field.notNullable("name", ArrowType.Utf8.INSTANCE),
              Field.notNullable("type", ArrowType.Utf8.INSTANCE)));

  private final OfflineStore store;
  private final BufferAllocator allocator;

  @Inject
  TableColumnsHandler(OfflineStore store, BufferAllocator allocator) {
    this.store = requireNonNull(store, "store is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
  }

  @Override
  public Api api() {
    return Api.GET_TABLE_COLUMN_NAMES_AND_TYPES;
  }

  @Override
  public RetrievalJob open(Map<String, VectorSchemaRoot> params) {
    String source = Params.of(api(), params).string(Api.Param.DATA_SOURCE_NAME);
    return new RetrievalJob() {
      @Override
      public Schema schema() {
        return SCHEMA;
      }

      @Override
      public RecordBatchStream stream() {
        return RecordBatchStream.ofTable(table(store.getTableColumnNamesAndTypes(source)));
      }

      @Override
      public long persist(String destination, boolean allowOverwrite) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "persist is for retrievals; get_table_column_names_and_types has nothing to persist");
      }

      @Override
      public void close() {}
    };
  }

  private VectorSchemaRoot table(List<SourceColumn> columns) {
    VectorSchemaRoot table = VectorSchemaRoot.create(SCHEMA, allocator);
    try {
      table.allocateNew();
      VarCharVector names = (VarCharVector) table.getVector("name");
      VarCharVector types = (VarCharVector) table.getVector("type");
      for (int row = 0; row < columns.size(); row++) {
        names.setSafe(row, columns.get(row).name().getBytes(UTF_8));
        types.setSafe(row, columns.get(row).type().getBytes(UTF_8));
      }
      table.setRowCount(columns.size());
      return table;
    } catch (RuntimeException e) {
      table.close();
      throw e;
    }
  }
}
