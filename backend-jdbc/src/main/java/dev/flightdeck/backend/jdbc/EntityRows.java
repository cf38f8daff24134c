package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The entity rows of one historical retrieval as the database needs them: a row number, the join
 * keys, the timestamp and each TTL's lower bound, as Arrow columns (keys as 64-bit integers or
 * strings, every timestamp as microseconds in UTC). The vectors belong to the caller and live until
 * the job ends.
 *
 * @param table a plain name unique to this job, for a table of its own
 * @param quotedTable {@code table} quoted for SQL
 * @param names how this database quotes identifiers
 * @param columns the columns in table order, row number first
 * @param keys the quoted names of the join key columns, for an index
 * @param rowCount the number of rows
 */
public record EntityRows(
    String table,
    String quotedTable,
    SqlNames names,
    List<Column> columns,
    List<String> keys,
    int rowCount) {
  /** One column: its plain and quoted names and its values. */
  public record Column(String name, String quoted, FieldVector vector) {
    public Column {
      requireNonNull(name, "name is null");
      requireNonNull(quoted, "quoted is null");
      requireNonNull(vector, "vector is null");
    }

    public ArrowType type() {
      return vector.getField().getType();
    }
  }

  public EntityRows {
    requireNonNull(table, "table is null");
    requireNonNull(quotedTable, "quotedTable is null");
    requireNonNull(names, "names is null");
    columns = List.copyOf(columns);
    keys = List.copyOf(keys);
  }

  public List<String> quotedColumns() {
    return columns.stream().map(Column::quoted).toList();
  }

  /** {@code "name" TYPE, ...}: the columns for a CREATE TABLE, typed by {@code sqlTypes}. */
  public String columnDefinitions(Function<ArrowType, String> sqlTypes) {
    List<String> definitions = new ArrayList<>();
    for (Column column : columns) {
      definitions.add(column.quoted() + " " + sqlTypes.apply(column.type()));
    }
    return String.join(", ", definitions);
  }

  public List<FieldVector> vectors() {
    return columns.stream().map(Column::vector).toList();
  }
}
