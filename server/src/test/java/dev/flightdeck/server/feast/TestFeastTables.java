package dev.flightdeck.server.feast;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class TestFeastTables {
  @Test
  void theDummyIsOneColumnNamedKey() {
    assertThat(
            FeastTables.isDummy(
                new Schema(List.of(Field.nullable("key", ArrowType.Utf8.INSTANCE)))))
        .isTrue();
    assertThat(
            FeastTables.isDummy(
                new Schema(
                    List.of(
                        Field.nullable("key", ArrowType.Utf8.INSTANCE),
                        Field.nullable("ts", ArrowType.Utf8.INSTANCE)))))
        .isFalse();
  }

  @Test
  void dropsPandasIndexAndMetadataAndNarrowsLargeStrings() {
    try (BufferAllocator allocator = new RootAllocator()) {
      Schema schema =
          new Schema(
              List.of(
                  Field.nullable("customer_id", ArrowType.LargeUtf8.INSTANCE),
                  Field.nullable("driver_id", new ArrowType.Int(64, true)),
                  Field.nullable("__index_level_0__", new ArrowType.Int(64, true))),
              Map.of("pandas", "{}"));
      VectorSchemaRoot table = VectorSchemaRoot.create(schema, allocator);
      table.allocateNew();
      ((LargeVarCharVector) table.getVector(0)).setSafe(0, "c-7".getBytes(UTF_8));
      ((LargeVarCharVector) table.getVector(0)).setNull(1);
      ((BigIntVector) table.getVector(1)).setSafe(0, 1001L);
      ((BigIntVector) table.getVector(1)).setSafe(1, 1002L);
      ((BigIntVector) table.getVector(2)).setSafe(0, 4L);
      ((BigIntVector) table.getVector(2)).setSafe(1, 7L);
      table.setRowCount(2);
      try (VectorSchemaRoot normalized = FeastTables.normalize(table)) {
        assertThat(normalized.getSchema().getFields())
            .extracting(field -> field.getName() + ": " + field.getType())
            .containsExactly("customer_id: Utf8", "driver_id: Int(64, true)");
        assertThat(normalized.getSchema().getCustomMetadata()).isEmpty();
        VarCharVector customers = (VarCharVector) normalized.getVector(0);
        assertThat(new String(customers.get(0), UTF_8)).isEqualTo("c-7");
        assertThat(customers.isNull(1)).isTrue();
        assertThat(normalized.getRowCount()).isEqualTo(2);
      }
    }
  }
}
