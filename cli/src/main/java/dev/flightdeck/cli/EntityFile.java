package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.RepositoryDescription;
import dev.flightdeck.protocol.RepositoryDescription.DataSourceInfo;
import dev.flightdeck.protocol.RepositoryDescription.FeatureServiceInfo;
import dev.flightdeck.protocol.RepositoryDescription.FeatureViewInfo;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.retrieval.RetrievalPlan;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.SourceColumn;
import dev.flightdeck.tables.CsvTables;
import dev.flightdeck.tables.TableFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * The entity file of {@code get-historical-features}, read as the repository types it: a CSV join
 * key column gets the type its source stores (so {@code "007"} stays a string key), {@code --types}
 * overrides any column, and the event time is checked here, where the file's line numbers are
 * known.
 */
final class EntityFile {
  private EntityFile() {}

  static VectorSchemaRoot read(
      Path file,
      Map<String, ValueType> declaredTypes,
      Optional<String> timestampColumn,
      RemoteOfflineStore store,
      FeatureSelection selection,
      BufferAllocator allocator) {
    if (!Files.isRegularFile(file)) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "no such file: " + file);
    }
    String name = file.getFileName().toString();
    VectorSchemaRoot rows;
    if (TableFiles.Format.of(file) == TableFiles.Format.CSV) {
      Map<String, ValueType> types = new LinkedHashMap<>(joinKeyTypes(store, selection));
      types.putAll(declaredTypes);
      timestampColumn.ifPresent(column -> types.put(column, ValueType.TIMESTAMP));
      rows = CsvTables.read(file, types, allocator);
    } else {
      if (!declaredTypes.isEmpty()) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "--types is for CSV files; " + name + " carries its own column types");
      }
      rows = TableFiles.read(file, allocator);
    }
    try {
      List<String> columns = rows.getSchema().getFields().stream().map(Field::getName).toList();
      for (String column : declaredTypes.keySet()) {
        if (!columns.contains(column)) {
          throw new FlightdeckException(
              ErrorCode.INVALID_PARAMETER,
              "--types names column '"
                  + column
                  + "', which "
                  + name
                  + " does not have (columns: "
                  + String.join(", ", columns)
                  + ")");
        }
      }
      timestampColumn.ifPresent(
          column -> {
            if (!columns.contains(column)) {
              throw new FlightdeckException(
                  ErrorCode.INVALID_PARAMETER,
                  "--timestamp-column names '"
                      + column
                      + "', which "
                      + name
                      + " does not have (columns: "
                      + String.join(", ", columns)
                      + ")");
            }
          });
      return checked(rows, name, timestampColumn, allocator);
    } catch (RuntimeException e) {
      rows.close();
      throw e;
    }
  }

  /** The file's table, its event time checked, renamed to event_timestamp when named by flag. */
  private static VectorSchemaRoot checked(
      VectorSchemaRoot rows,
      String name,
      Optional<String> timestampColumn,
      BufferAllocator allocator) {
    if (rows.getRowCount() == 0) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER, name + " has no entity rows, only a header");
    }
    String eventTime = timestampColumn.orElseGet(() -> eventTimeColumn(rows, name));
    Field field = rows.getSchema().findField(eventTime);
    if (!(field.getType() instanceof ArrowType.Timestamp)) {
      throw notATime(name, eventTime, field);
    }
    FieldVector times = rows.getVector(eventTime);
    for (int row = 0; row < rows.getRowCount(); row++) {
      if (times.isNull(row)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            name + " row " + (row + 1) + " has no " + eventTime + " (an empty cell)");
      }
    }
    if (eventTime.equals(HistoricalFeaturesRequest.EVENT_TIMESTAMP)) {
      return rows;
    }
    if (timestampColumn.isEmpty()) {
      return rows; // the server infers the only timestamp column as Feast does
    }
    return renamed(rows, eventTime, HistoricalFeaturesRequest.EVENT_TIMESTAMP, allocator);
  }

  private static String eventTimeColumn(VectorSchemaRoot rows, String name) {
    Field named =
        rows.getSchema().getFields().stream()
            .filter(f -> f.getName().equals(HistoricalFeaturesRequest.EVENT_TIMESTAMP))
            .findFirst()
            .orElse(null);
    if (named != null && !(named.getType() instanceof ArrowType.Timestamp)) {
      throw notATime(name, named.getName(), named);
    }
    try {
      return RetrievalPlan.entityTimestampColumn(rows.getSchema());
    } catch (FlightdeckException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          name + ": " + e.getMessage() + ", or name it with --timestamp-column",
          e);
    }
  }

  private static FlightdeckException notATime(String name, String column, Field field) {
    String hint =
        field.getType() instanceof ArrowType.Int
                || field.getType() instanceof ArrowType.FloatingPoint
            ? ": write times as ISO-8601, e.g. 2024-01-01T00:00:00Z (epoch numbers are not read"
                + " as times: seconds and milliseconds look alike)"
            : ": write times as ISO-8601, e.g. 2024-01-01T00:00:00Z";
    return new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        "column '"
            + column
            + "' of "
            + name
            + " is "
            + TypeNames.of(field.getType())
            + ", not a timestamp"
            + hint);
  }

  private static VectorSchemaRoot renamed(
      VectorSchemaRoot rows, String from, String to, BufferAllocator allocator) {
    if (rows.getSchema().getFields().stream().anyMatch(f -> f.getName().equals(to))) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "--timestamp-column " + from + " would be sent as " + to + ", which the file has too");
    }
    List<FieldVector> vectors = new ArrayList<>();
    for (FieldVector vector : rows.getFieldVectors()) {
      String target = vector.getName().equals(from) ? to : vector.getName();
      Field field = new Field(target, vector.getField().getFieldType(), null);
      FieldVector copy = field.createVector(allocator);
      vector.makeTransferPair(copy).transfer();
      vectors.add(copy);
    }
    int count = rows.getRowCount();
    rows.close();
    VectorSchemaRoot result = new VectorSchemaRoot(vectors);
    result.setRowCount(count);
    return result;
  }

  /** The type each requested view's source stores for its join keys, by entity column name. */
  static Map<String, ValueType> joinKeyTypes(RemoteOfflineStore store, FeatureSelection selection) {
    RepositoryDescription repository = store.describe();
    List<String> references =
        selection instanceof FeatureSelection.Service service
            ? repository.featureServices().stream()
                .filter(s -> s.name().equals(service.name()))
                .findFirst()
                .map(FeatureServiceInfo::features)
                .orElse(List.of())
            : ((FeatureSelection.References) selection)
                .references().stream().map(FeatureReference::toString).toList();
    Map<String, ValueType> types = new HashMap<>();
    Map<String, List<SourceColumn>> columnsBySource = new HashMap<>();
    for (String reference : references) {
      String viewName = reference.substring(0, Math.max(0, reference.indexOf(':')));
      Optional<FeatureViewInfo> view = repository.featureView(viewName);
      if (view.isEmpty()) {
        continue; // the server names the unknown view
      }
      Optional<DataSourceInfo> source = repository.dataSource(view.get().source());
      if (source.isEmpty()) {
        continue;
      }
      List<SourceColumn> columns =
          columnsBySource.computeIfAbsent(source.get().name(), store::getTableColumnNamesAndTypes);
      for (String key : view.get().joinKeys()) {
        String stored = storedName(source.get(), key);
        columns.stream()
            .filter(column -> column.name().equals(stored))
            .findFirst()
            .flatMap(column -> keyType(column.type()))
            .ifPresent(type -> types.putIfAbsent(key, type));
      }
    }
    return types;
  }

  private static String storedName(DataSourceInfo source, String name) {
    return source.fieldMapping().entrySet().stream()
        .filter(mapping -> mapping.getValue().equals(name))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(name);
  }

  private static Optional<ValueType> keyType(String dtype) {
    for (ValueType type : List.of(ValueType.INT32, ValueType.INT64, ValueType.STRING)) {
      if (type.dtype().equals(dtype)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
