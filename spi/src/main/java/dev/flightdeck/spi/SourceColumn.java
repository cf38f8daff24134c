package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

/**
 * One column of a data source as its backend stores it, for {@code
 * get_table_column_names_and_types}: the column's name in the source (before {@code field_mapping})
 * and the backend's own type name (an Arrow type for Parquet, the database's type for JDBC).
 */
public record SourceColumn(String name, String type) {
  public SourceColumn {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
  }
}
