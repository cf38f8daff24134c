package dev.flightdeck.bench;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The names and types of the bench's data: one entity, one source, one feature view of three
 * features, shaped like the driver example.
 */
final class BenchSchema {
  static final String PROJECT = "bench";
  static final String ENTITY = "driver";
  static final String KEY = "driver_id";
  static final String EVENT_TIMESTAMP = "event_timestamp";
  static final String CREATED = "created";
  static final String SOURCE = "driver_stats_source";
  static final String TABLE = "driver_stats";
  static final String VIEW = "driver_stats";
  static final ArrowType INT64 = new ArrowType.Int(64, true);
  static final ArrowType TIMESTAMP = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

  /**
   * A feature and the factor that makes each of its generated values a whole number, so that sums
   * are exact whatever order the rows arrive in.
   *
   * @param dtype the type's name in feature_store.yaml
   * @param sqlType the type of its column in a database
   */
  enum Feature {
    CONV_RATE(
        "conv_rate",
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
        "float32",
        "REAL",
        1 << 10),
    ACC_RATE(
        "acc_rate",
        new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
        "float64",
        "DOUBLE PRECISION",
        1 << 16),
    AVG_DAILY_TRIPS("avg_daily_trips", INT64, "int64", "BIGINT", 1);

    final String column;
    final ArrowType type;
    final String dtype;
    final String sqlType;
    final long scale;

    Feature(String column, ArrowType type, String dtype, String sqlType, long scale) {
      this.column = column;
      this.type = type;
      this.dtype = dtype;
      this.sqlType = sqlType;
      this.scale = scale;
    }

    String reference() {
      return VIEW + ":" + column;
    }
  }

  private BenchSchema() {}

  static List<String> featureReferences() {
    List<String> references = new ArrayList<>();
    for (Feature feature : Feature.values()) {
      references.add(feature.reference());
    }
    return references;
  }

  /** The entity rows a client sends: join key and event time. */
  static Schema entities() {
    return new Schema(
        List.of(Field.nullable(KEY, INT64), Field.nullable(EVENT_TIMESTAMP, TIMESTAMP)));
  }

  /** The source's columns, as stored in the Parquet file. */
  static Schema source() {
    List<Field> fields = new ArrayList<>();
    fields.add(Field.nullable(KEY, INT64));
    fields.add(Field.nullable(EVENT_TIMESTAMP, TIMESTAMP));
    fields.add(Field.nullable(CREATED, TIMESTAMP));
    for (Feature feature : Feature.values()) {
      fields.add(Field.nullable(feature.column, feature.type));
    }
    return new Schema(fields);
  }

  /** What get_historical_features answers: the entity columns, then the features. */
  static Schema result() {
    List<Field> fields = new ArrayList<>(entities().getFields());
    for (Feature feature : Feature.values()) {
      fields.add(Field.nullable(feature.column, feature.type));
    }
    return new Schema(fields);
  }
}
