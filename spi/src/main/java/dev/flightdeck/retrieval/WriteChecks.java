package dev.flightdeck.retrieval;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.TypeNames;
import java.util.ArrayList;
import java.util.List;
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
      Field field = find(logs, reference.fullName());
      ArrowType expected =
          repository.featureView(reference.view()).feature(reference.feature()).type().arrowType();
      if (field != null && !compatible(expected, field.getType())) {
        problems.add(
            "column '"
                + reference.fullName()
                + "' is "
                + TypeNames.of(field.getType())
                + ", the feature is "
                + expected);
      }
    }
    if (!problems.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.SCHEMA_MISMATCH,
          "logs for feature service '" + service.name() + "': " + String.join("; ", problems));
    }
  }

  private static Field find(Schema schema, String name) {
    return schema.getFields().stream()
        .filter(field -> field.getName().equals(name))
        .findFirst()
        .orElse(null);
  }
}
