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
   * As {@link #compatible(ArrowType, ArrowType)}; a list's elements must be of exactly the element
   * type (timestamps too: elements are copied, not converted), while their field may have any name
   * (pyarrow says {@code item} or {@code element}, Arrow Java {@code $data$}).
   */
  public static boolean compatible(Field expected, Field given) {
    if (!compatible(expected.getType(), given.getType())) {
      return false;
    }
    if (!(expected.getType() instanceof ArrowType.List)) {
      return true;
    }
    // Elements must be exactly of the type: values are copied as they are, not converted.
    return expected.getChildren().size() == 1
        && given.getChildren().size() == 1
        && expected.getChildren().get(0).getType().equals(given.getChildren().get(0).getType());
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
      Field expected =
          repository
              .featureView(reference.view())
              .feature(reference.feature())
              .type()
              .field(service.fullName(reference));
      if (field != null && !compatible(expected, field)) {
        problems.add(
            "column '"
                + service.fullName(reference)
                + "' is "
                + TypeNames.of(field)
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

  /**
   * A column of a source as stored: its name before field_mapping, Arrow field (the type, with a
   * list's element) and nullability.
   */
  public record StoredColumn(String name, Field field, boolean nullable) {
    public StoredColumn {
      requireNonNull(name, "name is null");
      requireNonNull(field, "field is null");
    }

    /** A column of a type without children. */
    public StoredColumn(String name, ArrowType type, boolean nullable) {
      this(name, Field.nullable(name, requireNonNull(type, "type is null")), nullable);
    }

    public ArrowType type() {
      return field.getType();
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
              "missing column '" + column.name() + "' (" + TypeNames.of(column.field()) + ")");
        }
      } else if (!compatible(column.field(), vector.getField())) {
        problems.add(
            "column '"
                + column.name()
                + "' is "
                + TypeNames.of(vector.getField())
                + ", the source stores "
                + TypeNames.of(column.field()));
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
