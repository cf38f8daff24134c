package dev.flightdeck.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The bench's one table, in Markdown so it can be pasted into docs/performance.md as printed. */
final class ResultTable {
  /**
   * @param versus the time as a multiple of the DuckDB reference it is compared with
   * @param target the issue's target for this row, and whether this run met it
   */
  record Row(String measurement, String time, String versus, String target, String notes) {}

  private final List<Row> rows = new ArrayList<>();

  void add(String measurement, String time, String versus, String target, String notes) {
    rows.add(new Row(measurement, time, versus, target, notes));
  }

  /** The row number the next {@link #add} gets, to refer to it from later rows. */
  int next() {
    return rows.size() + 1;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    List<String[]> cells = new ArrayList<>();
    cells.add(new String[] {"#", "measurement", "time", "vs DuckDB", "target", "notes"});
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      cells.add(
          new String[] {
            String.valueOf(i + 1),
            row.measurement(),
            row.time(),
            row.versus(),
            row.target(),
            row.notes()
          });
    }
    int[] widths = new int[cells.get(0).length];
    for (String[] line : cells) {
      for (int c = 0; c < line.length; c++) {
        widths[c] = Math.max(widths[c], line[c].length());
      }
    }
    for (int i = 0; i < cells.size(); i++) {
      out.println(line(cells.get(i), widths));
      if (i == 0) {
        String[] rule = new String[widths.length];
        for (int c = 0; c < widths.length; c++) {
          rule[c] = "-".repeat(widths[c]);
        }
        out.println(line(rule, widths));
      }
    }
  }

  private static String line(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder("|");
    for (int c = 0; c < cells.length; c++) {
      line.append(' ')
          .append(cells[c])
          .append(" ".repeat(widths[c] - cells[c].length()))
          .append(" |");
    }
    return line.toString();
  }

  /** {@code 1.47 s}, or milliseconds below a second. */
  static String seconds(double seconds) {
    return seconds >= 1
        ? String.format("%.2f s", seconds)
        : String.format("%.0f ms", seconds * 1e3);
  }

  static String millis(double millis) {
    return millis >= 100 ? String.format("%.0f ms", millis) : String.format("%.1f ms", millis);
  }

  /** {@code 7.7×}: how many times the reference's time. */
  static String ratio(double time, double reference) {
    return String.format("%.2f×", time / reference);
  }

  /** The issue's target for a row, and whether this run met it. */
  static String target(String target, boolean met) {
    return target + (met ? " met" : " not met");
  }
}
