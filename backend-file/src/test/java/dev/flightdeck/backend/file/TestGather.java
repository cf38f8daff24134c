package dev.flightdeck.backend.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.contract.TestTable;
import dev.flightdeck.repository.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gathering features by row number, from one vector or several chunks. */
class TestGather {
  private BufferAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() {
    allocator.close();
  }

  @Test
  void listsAreGatheredWholeWithEveryKindOfNull() {
    ArrowType float32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    try (VectorSchemaRoot first =
            TestTable.with(allocator)
                .list("f", float32)
                .list("s", ArrowType.Utf8.INSTANCE)
                .row(Arrays.asList(1.0f, null), List.of("a"))
                .row(null, Arrays.asList(null, "b"))
                .build();
        VectorSchemaRoot second =
            TestTable.with(allocator)
                .list("f", float32)
                .list("s", ArrowType.Utf8.INSTANCE)
                .row(List.of(), List.of())
                .row(List.of(2.0f, 3.0f, 4.0f), null)
                .build()) {
      int[] rows = {3, -1, 0, 1, 2, 3, 0};
      for (int column = 0; column < 2; column++) {
        FieldVector one = first.getVector(column);
        FieldVector two = second.getVector(column);
        ValueType type = ValueType.listOf(column == 0 ? ValueType.FLOAT32 : ValueType.STRING);
        try (FieldVector target = type.field("x").createVector(allocator);
            FieldVector single = type.field("x").createVector(allocator)) {
          // Two chunks, as a cached view holds them (rows 0-1 and 2-3)...
          FeatureColumn chunks = new FeatureColumn(List.of(one, two));
          target.allocateNew();
          Gather.rows(chunks, target, rows, 0, rows.length);
          target.setValueCount(rows.length);
          // ...and the first chunk alone, the single-vector path.
          single.allocateNew();
          Gather.rows(one, single, new int[] {1, 0, -1}, 0, 3);
          single.setValueCount(3);

          List<Object> expected =
              column == 0
                  ? Arrays.asList(
                      List.of(2.0f, 3.0f, 4.0f),
                      null,
                      Arrays.asList(1.0f, null),
                      null,
                      List.of(),
                      List.of(2.0f, 3.0f, 4.0f),
                      Arrays.asList(1.0f, null))
                  : Arrays.asList(
                      null,
                      null,
                      List.of("a"),
                      Arrays.asList(null, "b"),
                      List.of(),
                      null,
                      List.of("a"));
          assertThat(values(target)).isEqualTo(expected);
          assertThat(values(single))
              .isEqualTo(Arrays.asList(expected.get(3), expected.get(2), null));
        }
      }
    }
  }

  @Test
  void manyLongListsGrowTheElementsLinearly() {
    int rows = 20_000;
    int width = 64;
    ValueType type = ValueType.listOf(ValueType.FLOAT32);
    try (FieldVector source = type.field("x").createVector(allocator);
        FieldVector target = type.field("x").createVector(allocator)) {
      var lists = (org.apache.arrow.vector.complex.ListVector) source;
      var floats = (org.apache.arrow.vector.Float4Vector) lists.getDataVector();
      lists.allocateNew();
      for (int row = 0; row < rows; row++) {
        int start = lists.startNewValue(row);
        for (int e = 0; e < width; e++) {
          floats.setSafe(start + e, row + e / 100f);
        }
        lists.endValue(row, width);
      }
      lists.setValueCount(rows);
      int[] order = new int[rows];
      for (int i = 0; i < rows; i++) {
        order[i] = rows - 1 - i;
      }
      target.allocateNew();
      Gather.rows(source, target, order, 0, rows);
      target.setValueCount(rows);

      var out = (org.apache.arrow.vector.complex.ListVector) target;
      assertThat(out.getDataVector().getValueCount()).isEqualTo(rows * width);
      assertThat(TableRows.value(target, 0)).isEqualTo(TableRows.value(source, rows - 1));
      assertThat(TableRows.value(target, rows - 1)).isEqualTo(TableRows.value(source, 0));
    }
  }

  @Test
  void validityBitsCopyAtAnyOffsets() {
    java.util.Random random = new java.util.Random(7);
    try (org.apache.arrow.memory.ArrowBuf in = allocator.buffer(64);
        org.apache.arrow.memory.ArrowBuf out = allocator.buffer(64)) {
      for (int trial = 0; trial < 500; trial++) {
        in.setZero(0, 64);
        out.setZero(0, 64);
        boolean[] bits = new boolean[512];
        for (int i = 0; i < bits.length; i++) {
          bits[i] = random.nextInt(4) != 0;
          if (bits[i]) {
            org.apache.arrow.vector.BitVectorHelper.setBit(in, i);
          }
        }
        int from = random.nextInt(200);
        int to = random.nextInt(200);
        int count = random.nextInt(300);
        Gather.copyBits(in, from, out, to, count);
        for (int i = 0; i < 512; i++) {
          boolean expected = i >= to && i < to + count && bits[from + i - to];
          assertThat(org.apache.arrow.vector.BitVectorHelper.get(out, i) == 1)
              .as("trial %d bit %d (from %d to %d count %d)", trial, i, from, to, count)
              .isEqualTo(expected);
        }
      }
    }
  }

  @Test
  void fixedWidthValuesGatheredChunkByChunkKeepTheirPlacesAndNulls() {
    // Chunks of 3, 0, 2 and 4 rows (an empty row group among them); every third value null.
    int[] sizes = {3, 0, 2, 4};
    List<FieldVector> chunks = new ArrayList<>();
    List<Object> all = new ArrayList<>();
    for (int size : sizes) {
      Float8Vector chunk = new Float8Vector("f", allocator);
      chunk.allocateNew(size);
      for (int i = 0; i < size; i++) {
        if (all.size() % 3 == 2) {
          chunk.setNull(i);
          all.add(null);
        } else {
          chunk.set(i, all.size() + 0.5);
          all.add(all.size() + 0.5);
        }
      }
      chunk.setValueCount(size);
      chunks.add(chunk);
    }
    int[] rows = {8, -1, 0, 5, 3, 2, 7, 7, -1, 4, 1, 6, 0};
    int from = 1;
    int length = rows.length - from;
    try (FeatureColumn column = new FeatureColumn(chunks);
        Float8Vector grouped = new Float8Vector("x", allocator);
        Float8Vector byRows = new Float8Vector("x", allocator)) {
      grouped.allocateNew(length);
      RowsByChunk byChunk = RowsByChunk.of(column, rows, from, length);
      assertThat(byChunk.fits(column)).isTrue();
      assertThat(Gather.rows(column, grouped, byChunk)).isTrue();
      grouped.setValueCount(length);
      byRows.allocateNew(length);
      Gather.rows(column, byRows, rows, from, length);
      byRows.setValueCount(length);

      List<Object> expected = new ArrayList<>();
      for (int i = from; i < rows.length; i++) {
        expected.add(rows[i] < 0 ? null : all.get(rows[i]));
      }
      assertThat(values(grouped)).isEqualTo(expected);
      assertThat(values(byRows)).isEqualTo(expected);
    }
  }

  private static List<Object> values(FieldVector vector) {
    List<Object> values = new ArrayList<>();
    for (int row = 0; row < vector.getValueCount(); row++) {
      values.add(TableRows.value(vector, row));
    }
    return values;
  }
}
