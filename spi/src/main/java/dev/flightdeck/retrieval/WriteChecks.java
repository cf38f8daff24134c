package dev.flightdeck.retrieval;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.TypeNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** The checks every backend makes before it writes a caller's table, so all refuse alike. */
public final class WriteChecks {
  /** The column every feature-log table must have. */
  public static final String LOG_TIMESTAMP = "__log_timestamp";

  private WriteChecks() {}

  /**
   * A value of {@code given} may be stored where {@code expected} is: equal, or both timestamps.
   */
  public static boolean compatible(ArrowType expected, ArrowType given) {
    return expected.equals(given)
        || (expected instanceof ArrowType.Timestamp && given instanceof ArrowType.Timestamp);
  }

  /**
   * Logs of {@code service} need a timestamp column {@code __log_timestamp}, and each column named
   * like one of its features ({@code view__feature}) must have that feature's type.
   */
  public static void checkLogs(FeatureRepository repository, FeatureService service, Schema logs) {
    List<String> problems = new ArrayList<>();
    Field timestamp = find(logs, LOG_TIMESTAMP);
    if (timestamp == null || !(timestamp.getType() instanceof ArrowType.Timestamp)) {
      problems.add("a timestamp column '" + LOG_TIMESTAMP + "' is required");
    }
    for (FeatureReference reference : service.features()) {
      Field field = find(logs, service.fullName(reference));
      ArrowType expected =
          repository.featureView(reference.view()).feature(reference.feature()).type().arrowType();
      if (field != null && !compatible(expected, field.getType())) {
        problems.add(
            "column '"
                + service.fullName(reference)
                + "' is "
                + TypeNames.of(field.getType())
                + ", the feature is "
                + TypeNames.of(expected));
      }
    }
    if (!problems.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.SCHEMA_MISMATCH,
          "logs for feature service '" + service.name() + "': " + String.join("; ", problems));
    }
  }

  /** A column of a source as stored: its name before field_mapping, type and nullability. */
  public record StoredColumn(String name, ArrowType type, boolean nullable) {
    public StoredColumn {
      requireNonNull(name, "name is null");
      requireNonNull(type, "type is null");
    }
  }

  /**
   * The caller's vectors for an {@code offline_write_batch}, one per stored column in stored order;
   * {@code null} where the caller left out a nullable column that is no join key, timestamp or
   * feature (it is written as null). Types must match (timestamps of any unit and zone), and a
   * column the source requires may not hold nulls. Every problem is listed at once.
   */
  public static List<FieldVector> matchStored(
      FeatureRepository repository,
      FeatureView view,
      List<StoredColumn> stored,
      VectorSchemaRoot table) {
    DataSource source = repository.dataSource(view.source());
    Set<String> needed = new HashSet<>();
    needed.add(source.timestampField());
    source.createdTimestampColumn().ifPresent(needed::add);
    for (String key : repository.joinKeys(view)) {
      needed.add(source.storedName(key));
    }
    for (Feature feature : view.features()) {
      needed.add(source.storedName(feature.name()));
    }
    Map<String, FieldVector> given = new LinkedHashMap<>();
    table.getFieldVectors().forEach(vector -> given.put(vector.getName(), vector));
    List<String> problems = new ArrayList<>();
    List<FieldVector> ordered = new ArrayList<>();
    for (StoredColumn column : stored) {
      FieldVector vector = given.remove(column.name());
      if (vector == null) {
        if (column.nullable() && !needed.contains(column.name())) {
          ordered.add(null);
        } else {
          problems.add(
              "missing column '" + column.name() + "' (" + TypeNames.of(column.type()) + ")");
        }
      } else if (!compatible(column.type(), vector.getField().getType())) {
        problems.add(
            "column '"
                + column.name()
                + "' is "
                + TypeNames.of(vector.getField().getType())
                + ", the source stores "
                + TypeNames.of(column.type()));
      } else if (!column.nullable() && vector.getNullCount() > 0) {
        problems.add("column '" + column.name() + "' has nulls, but the source requires values");
      } else {
        ordered.add(vector);
      }
    }
    given.keySet().forEach(name -> problems.add("unexpected column '" + name + "'"));
    if (!problems.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.SCHEMA_MISMATCH,
          "table for feature view '"
              + view.name()
              + "' does not match source '"
              + source.name()
              + "': "
              + String.join("; ", problems)
              + " (column names as stored, before field_mapping)");
    }
    return ordered;
  }

  private static Field find(Schema schema, String name) {
    return schema.getFields().stream()
        .filter(field -> field.getName().equals(name))
        .findFirst()
        .orElse(null);
  }
}
