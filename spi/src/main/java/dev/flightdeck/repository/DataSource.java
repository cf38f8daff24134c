package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;
import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * Where a feature view's rows live: a {@code path} relative to the repository folder (which the
 * backend resolves and confines), a {@code table} or a {@code query}. As in Feast, {@code
 * timestampField} and {@code createdTimestampColumn} name columns of the source itself, while
 * {@code fieldMapping} renames source columns (key) to the names used by join keys and features
 * (value).
 */
public record DataSource(
    String name,
    SourceLocation location,
    String timestampField,
    Optional<String> createdTimestampColumn,
    Map<String, String> fieldMapping) {
  public DataSource {
    checkName(name, "data source name");
    requireNonNull(location, "location is null");
    if (location.value().isBlank()) {
      throw Names.invalid("data source '" + name + "' has an empty " + location.key());
    }
    requireNonNull(timestampField, "timestampField is null");
    requireNonNull(createdTimestampColumn, "createdTimestampColumn is null");
    fieldMapping = Map.copyOf(fieldMapping);
    long distinctTargets = fieldMapping.values().stream().distinct().count();
    if (distinctTargets != fieldMapping.size()) {
      throw Names.invalid(
          "data source '"
              + name
              + "' maps two columns to one name in field_mapping "
              + fieldMapping);
    }
  }

  /** A source of Parquet files at {@code path}. */
  public DataSource(
      String name,
      String path,
      String timestampField,
      Optional<String> createdTimestampColumn,
      Map<String, String> fieldMapping) {
    this(name, new SourceLocation.Path(path), timestampField, createdTimestampColumn, fieldMapping);
  }

  /** The path of a file source; a backend that reads files calls it, others never do. */
  public String path() {
    if (location instanceof SourceLocation.Path path) {
      return path.path();
    }
    throw Names.invalid(
        "data source '"
            + name
            + "' has a "
            + location.key()
            + " where this backend reads files: give it a path");
  }

  /** The name a source column is known by in the repository, after {@code field_mapping}. */
  public String mappedName(String sourceColumn) {
    return fieldMapping.getOrDefault(sourceColumn, sourceColumn);
  }

  /** The stored name of the column the repository calls {@code name} (field_mapping reversed). */
  public String storedName(String name) {
    for (Map.Entry<String, String> mapping : fieldMapping.entrySet()) {
      if (mapping.getValue().equals(name)) {
        return mapping.getKey();
      }
    }
    return name;
  }
}
