package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;
import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * Where a feature view's rows live. {@code path} is relative to the repository folder; the backend
 * resolves and confines it. As in Feast, {@code timestampField} and {@code createdTimestampColumn}
 * name columns of the source itself, while {@code fieldMapping} renames source columns (key) to the
 * names used by join keys and features (value).
 */
public record DataSource(
    String name,
    String path,
    String timestampField,
    Optional<String> createdTimestampColumn,
    Map<String, String> fieldMapping) {
  public DataSource {
    checkName(name, "data source name");
    requireNonNull(path, "path is null");
    if (path.isBlank()) {
      throw Names.invalid("data source '" + name + "' has an empty path");
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

  /** The name a source column is known by in the repository, after {@code field_mapping}. */
  public String mappedName(String sourceColumn) {
    return fieldMapping.getOrDefault(sourceColumn, sourceColumn);
  }
}
