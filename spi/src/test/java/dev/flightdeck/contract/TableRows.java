package dev.flightdeck.contract;

import dev.flightdeck.retrieval.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/**
 * A table's rows as plain Java values for assertions: timestamps as Instants, strings as Strings,
 * binary as a list of bytes, lists as Lists of those, everything else as Arrow's own object.
 */
public final class TableRows {
  private TableRows() {}

  public static List<List<Object>> of(VectorSchemaRoot table) {
    List<List<Object>> rows = new ArrayList<>(table.getRowCount());
    for (int row = 0; row < table.getRowCount(); row++) {
      List<Object> values = new ArrayList<>();
      for (FieldVector vector : table.getFieldVectors()) {
        values.add(value(vector, row));
      }
      rows.add(values);
    }
    return rows;
  }

  public static Object value(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return null;
    }
    if (vector instanceof ListVector list) {
      List<Object> elements = new ArrayList<>();
      for (int i = list.getElementStartIndex(row); i < list.getElementEndIndex(row); i++) {
        elements.add(value(list.getDataVector(), i));
      }
      return elements;
    }
    if (vector instanceof TimeStampVector timestamps) {
      return Timestamps.toInstant(Timestamps.epochMicros(timestamps, row));
    }
    if (vector instanceof VarCharVector strings) {
      return new String(strings.get(row), StandardCharsets.UTF_8);
    }
    if (vector instanceof VarBinaryVector binary) {
      byte[] bytes = binary.get(row);
      List<Byte> list = new ArrayList<>(bytes.length);
      for (byte b : bytes) {
        list.add(b);
      }
      return list;
    }
    return vector.getObject(row);
  }
}
