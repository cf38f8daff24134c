package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Entity tables are named {@code fd_entities_<epoch second made>_<uuid>}. */
  private static final Pattern TABLE_NAME = Pattern.compile("fd_entities_(\\d{1,19})_[0-9a-f]{32}");

  /**
   * A new entity table name, unique, with the time it was made in it: a dialect whose tables can
   * outlive a dead server (no temporary tables) can find and drop old ones ({@link #madeAt}).
   */
  public static String newTableName(Instant now) {
    return "fd_entities_"
        + now.getEpochSecond()
        + "_"
        + UUID.randomUUID().toString().replace("-", "");
  }

  /** When the entity table {@code name} was made; empty for any other name. */
  public static Optional<Instant> madeAt(String name) {
    Matcher matcher = TABLE_NAME.matcher(name.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(matcher.group(1))));
    } catch (NumberFormatException | DateTimeException e) {
      return Optional.empty();
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
