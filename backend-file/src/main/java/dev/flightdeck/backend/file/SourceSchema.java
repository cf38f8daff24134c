package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.tables.ParquetColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * The columns one file gives a feature view, checked against the repository: join keys (by their
 * names after {@code field_mapping}), the raw timestamp columns, and every declared feature with a
 * matching type.
 */
public record SourceSchema(
    List<ParquetColumn> joinKeys,
    ParquetColumn timestamp,
    Optional<ParquetColumn> created,
    Map<String, ParquetColumn> features) {
  public SourceSchema {
    joinKeys = List.copyOf(joinKeys);
    requireNonNull(timestamp, "timestamp is null");
    requireNonNull(created, "created is null");
    features = Map.copyOf(features);
  }

  /**
   * Checks {@code file}'s schema for {@code view}. {@code fileName} is how messages name the file
   * (relative to the repository).
   */
  public static SourceSchema check(
      FeatureView view,
      DataSource source,
      List<String> joinKeyNames,
      MessageType schema,
      String fileName) {
    Map<String, ParquetColumn> byRawName = new LinkedHashMap<>();
    Map<String, ParquetColumn> byMappedName = new HashMap<>();
    Map<String, String> unsupported = new HashMap<>();
    for (Type field : schema.getFields()) {
      Optional<ParquetColumn> readable = ParquetColumn.of(field);
      if (readable.isEmpty()) {
        unsupported.put(field.getName(), field.toString().replaceAll("\\s+", " ").trim());
        continue;
      }
      ParquetColumn column = readable.get();
      byRawName.put(field.getName(), column);
      byMappedName.put(source.mappedName(field.getName()), column);
    }
    Context context = new Context(view, fileName, unsupported, byRawName.keySet());

    List<ParquetColumn> keys = new ArrayList<>();
    for (String key : joinKeyNames) {
      ParquetColumn column = context.require(byMappedName.get(key), key, "join key");
      if (column.joinKeyKind() == null) {
        throw context.fail(
            "join key '"
                + key
                + "' in "
                + fileName
                + " is "
                + column.describe()
                + "; join keys must be integers (INT32/INT64) or strings (BINARY STRING)");
      }
      keys.add(column);
    }
    ParquetColumn timestamp =
        context.timestamp(
            byRawName.get(source.timestampField()), source.timestampField(), "timestamp_field");
    Optional<ParquetColumn> created =
        source
            .createdTimestampColumn()
            .map(name -> context.timestamp(byRawName.get(name), name, "created_timestamp_column"));
    Map<String, ParquetColumn> features = new HashMap<>();
    for (Feature feature : view.features()) {
      ParquetColumn column =
          context.require(byMappedName.get(feature.name()), feature.name(), "feature");
      if (!column.matches(feature.type())) {
        throw context.fail(
            "column '"
                + feature.name()
                + "' in "
                + fileName
                + " is "
                + column.describe()
                + ", but the schema declares "
                + feature.type().dtype());
      }
      features.put(feature.name(), column);
    }
    return new SourceSchema(keys, timestamp, created, features);
  }

  public List<JoinKeys.Kind> joinKeyKinds() {
    return joinKeys.stream().map(ParquetColumn::joinKeyKind).toList();
  }

  private record Context(
      FeatureView view, String fileName, Map<String, String> unsupported, Set<String> known) {
    ParquetColumn require(ParquetColumn column, String name, String role) {
      if (column != null) {
        return column;
      }
      if (unsupported.containsKey(name)) {
        throw fail(
            role
                + " column '"
                + name
                + "' in "
                + fileName
                + " is nested ("
                + unsupported.get(name)
                + "); only flat columns and lists of them are supported");
      }
      throw fail(
          role
              + " column '"
              + name
              + "' is missing from "
              + fileName
              + " (columns: "
              + String.join(", ", known)
              + ")");
    }

    ParquetColumn timestamp(ParquetColumn column, String name, String role) {
      ParquetColumn found = require(column, name, role);
      if (!found.isTimestamp()) {
        throw fail(
            role
                + " column '"
                + name
                + "' in "
                + fileName
                + " is "
                + found.describe()
                + "; it must be a Parquet timestamp (INT64 TIMESTAMP or INT96)");
      }
      return found;
    }

    FlightdeckException fail(String problem) {
      return new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY, "feature view '" + view.name() + "': " + problem);
    }
  }
}
