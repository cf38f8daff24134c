package dev.flightdeck.server.feast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.protocol.Api;
import dev.flightdeck.server.ApiHandler;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Feast's {@code get_table_column_names_and_types_from_data_source}: Flightdeck's own column
 * listing, with types named as Feast's file offline store names them ({@code str()} of the pyarrow
 * type: {@code double}, {@code float}, {@code binary}, {@code timestamp[us, tz=UTC]}), which is
 * what Feast's type inference reads.
 */
public final class FeastColumnsHandler implements ApiHandler {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),(\\d+)\\)");

  private final ApiHandler columns;
  private final BufferAllocator allocator;

  public FeastColumnsHandler(ApiHandler columns, BufferAllocator allocator) {
    this.columns = requireNonNull(columns, "columns is null");
    this.allocator = requireNonNull(allocator, "allocator is null");
  }

  @Override
  public Api api() {
    return columns.api();
  }

  /** A Flightdeck type name as pyarrow writes the type. */
  public static String pyarrowType(String type) {
    Matcher decimal = DECIMAL.matcher(type);
    if (decimal.matches()) {
      return "decimal128(" + decimal.group(1) + ", " + decimal.group(2) + ")";
    }
    return switch (type) {
      case "float32" -> "float";
      case "float64" -> "double";
      case "float16" -> "halffloat";
      case "bytes" -> "binary";
      case "timestamp" -> "timestamp[us, tz=UTC]";
      case "date32" -> "date32[day]";
      case "date64" -> "date64[ms]";
      default -> type;
    };
  }

  @Override
  public RetrievalJob open(Map<String, VectorSchemaRoot> params) {
    RetrievalJob listing = columns.open(params);
    return new RetrievalJob() {
      @Override
      public Schema schema() {
        return listing.schema();
      }

      @Override
      public RecordBatchStream stream() {
        try (VectorSchemaRoot table = listing.toArrow(allocator)) {
          return RecordBatchStream.ofTable(renamed(table));
        }
      }

      @Override
      public long persist(String destination, boolean allowOverwrite) {
        return listing.persist(destination, allowOverwrite);
      }

      @Override
      public void close() {
        listing.close();
      }
    };
  }

  private VectorSchemaRoot renamed(VectorSchemaRoot table) {
    VectorSchemaRoot out = VectorSchemaRoot.create(table.getSchema(), allocator);
    try {
      out.allocateNew();
      VarCharVector names = (VarCharVector) table.getVector("name");
      VarCharVector types = (VarCharVector) table.getVector("type");
      VarCharVector outNames = (VarCharVector) out.getVector("name");
      VarCharVector outTypes = (VarCharVector) out.getVector("type");
      for (int row = 0; row < table.getRowCount(); row++) {
        outNames.setSafe(row, names.get(row));
        outTypes.setSafe(row, pyarrowType(new String(types.get(row), UTF_8)).getBytes(UTF_8));
      }
      out.setRowCount(table.getRowCount());
      return out;
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
  }
}
