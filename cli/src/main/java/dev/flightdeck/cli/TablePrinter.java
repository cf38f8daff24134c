package dev.flightdeck.cli;

import dev.flightdeck.retrieval.Timestamps;
import dev.flightdeck.tables.CsvTables;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;

/** Prints the first rows of a table as aligned text columns. */
final class TablePrinter {
  private TablePrinter() {}

  static void print(VectorSchemaRoot table, int maxRows, PrintWriter out) {
    int rows = Math.min(maxRows, table.getRowCount());
    List<FieldVector> vectors = table.getFieldVectors();
    List<List<String>> cells = new ArrayList<>();
    int[] widths = new int[vectors.size()];
    for (int column = 0; column < vectors.size(); column++) {
      List<String> values = new ArrayList<>();
      values.add(vectors.get(column).getName());
      for (int row = 0; row < rows; row++) {
        values.add(format(vectors.get(column), row));
      }
      for (String value : values) {
        widths[column] = Math.max(widths[column], value.length());
      }
      cells.add(values);
    }
    for (int line = 0; line <= rows; line++) {
      StringBuilder text = new StringBuilder();
      for (int column = 0; column < vectors.size(); column++) {
        text.append(String.format("%-" + widths[column] + "s", cells.get(column).get(line)));
        text.append(column == vectors.size() - 1 ? "" : "  ");
      }
      out.println(text.toString().stripTrailing());
      if (line == 0) {
        out.println("-".repeat(text.toString().stripTrailing().length()));
      }
    }
  }

  /** Prints text rows under a header, aligned, with a rule under the header. */
  static void print(List<String> header, List<List<String>> rows, PrintWriter out) {
    int[] widths = new int[header.size()];
    List<List<String>> lines = new ArrayList<>();
    lines.add(header);
    lines.addAll(rows);
    for (List<String> line : lines) {
      for (int column = 0; column < widths.length; column++) {
        widths[column] = Math.max(widths[column], line.get(column).length());
      }
    }
    for (int i = 0; i < lines.size(); i++) {
      StringBuilder text = new StringBuilder();
      for (int column = 0; column < widths.length; column++) {
        text.append(String.format("%-" + widths[column] + "s", lines.get(i).get(column)));
        text.append(column == widths.length - 1 ? "" : "  ");
      }
      String printed = text.toString().stripTrailing();
      out.println(printed);
      if (i == 0) {
        out.println("-".repeat(printed.length()));
      }
    }
  }

  private static String format(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return "null";
    }
    if (vector instanceof ListVector list) {
      return CsvTables.listJson(list, row);
    }
    if (vector instanceof TimeStampVector timestamps) {
      return Timestamps.toInstant(Timestamps.epochMicros(timestamps, row)).toString();
    }
    return String.valueOf(vector.getObject(row));
  }
}
