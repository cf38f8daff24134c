package dev.flightdeck.retrieval;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A historical retrieval checked against the repository and the entity table's schema: which views
 * to read, which features under which names, and the result's schema (entity columns unchanged,
 * then the features in the order requested). Every backend starts from one, so all of them accept
 * and refuse the same requests with the same errors.
 */
public record RetrievalPlan(
    Schema entitySchema,
    Schema outputSchema,
    List<ViewRequest> views,
    List<ResolvedFeature> features,
    List<Slot> slots) {
  /**
   * Where the requested feature at the same index is answered: view {@code view} of the plan, as
   * that view's feature number {@code position}.
   */
  public record Slot(int view, int position) {}

  public RetrievalPlan {
    requireNonNull(entitySchema, "entitySchema is null");
    requireNonNull(outputSchema, "outputSchema is null");
    views = List.copyOf(views);
    features = List.copyOf(features);
    slots = List.copyOf(slots);
  }

  /** The output column of feature {@code position} of view {@code view}. */
  public int outputColumn(int view, int position) {
    return entitySchema.getFields().size() + slots.indexOf(new Slot(view, position));
  }

  public static RetrievalPlan create(
      FeatureRepository repository, HistoricalFeaturesRequest request) {
    return create(
        repository,
        request.entityRows().getSchema(),
        request.features(),
        request.fullFeatureNames());
  }

  public static RetrievalPlan create(
      FeatureRepository repository,
      Schema entitySchema,
      FeatureSelection selection,
      boolean fullFeatureNames) {
    List<FeatureReference> references = references(repository, selection);
    FeatureService service =
        selection instanceof FeatureSelection.Service named
            ? repository.featureService(named.name())
            : null;

    Map<String, Field> entityColumns = new LinkedHashMap<>();
    for (Field field : entitySchema.getFields()) {
      if (entityColumns.put(field.getName(), field) != null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_ENTITY_TABLE,
            "entity table has column '" + field.getName() + "' twice");
      }
    }
    entityTimestampColumn(entitySchema);

    List<ResolvedFeature> features = new ArrayList<>();
    Map<String, FeatureReference> outputNames = new HashMap<>();
    Map<String, List<ResolvedFeature>> byView = new LinkedHashMap<>();
    for (FeatureReference reference : references) {
      FeatureView view = repository.featureView(reference.view());
      String fullName = service == null ? reference.fullName() : service.fullName(reference);
      ResolvedFeature feature =
          new ResolvedFeature(
              reference,
              repository.feature(reference),
              fullFeatureNames ? fullName : reference.feature());
      FeatureReference clash = outputNames.put(feature.outputName(), reference);
      if (clash != null) {
        throw new FlightdeckException(
            ErrorCode.NAME_COLLISION,
            clash.equals(reference)
                ? "feature '" + reference + "' is requested twice"
                : "features '"
                    + clash
                    + "' and '"
                    + reference
                    + "' are both named '"
                    + feature.outputName()
                    + "' in the result; set full_feature_names to name them view__feature");
      }
      if (entityColumns.containsKey(feature.outputName())) {
        throw new FlightdeckException(
            ErrorCode.NAME_COLLISION,
            "feature '"
                + reference
                + "' would be named '"
                + feature.outputName()
                + "', which is already a column of the entity table"
                + (fullFeatureNames ? "" : "; set full_feature_names or rename the column"));
      }
      features.add(feature);
      byView.computeIfAbsent(view.name(), name -> new ArrayList<>()).add(feature);
    }

    List<ViewRequest> views = new ArrayList<>();
    for (Map.Entry<String, List<ResolvedFeature>> entry : byView.entrySet()) {
      FeatureView view = repository.featureView(entry.getKey());
      List<String> joinKeys = repository.joinKeys(view);
      for (String key : joinKeys) {
        checkJoinKey(view, key, entityColumns.get(key));
      }
      views.add(
          new ViewRequest(view, repository.dataSource(view.source()), joinKeys, entry.getValue()));
    }

    List<Field> output = new ArrayList<>(entitySchema.getFields());
    features.forEach(feature -> output.add(feature.outputField()));
    List<Slot> slots = new ArrayList<>();
    for (ResolvedFeature feature : features) {
      for (int v = 0; v < views.size(); v++) {
        int position = views.get(v).features().indexOf(feature);
        if (position >= 0) {
          slots.add(new Slot(v, position));
        }
      }
    }
    return new RetrievalPlan(
        new Schema(entitySchema.getFields()), new Schema(output), views, features, slots);
  }

  /** The feature references a selection stands for: its own, or its service's. */
  public static List<FeatureReference> references(
      FeatureRepository repository, FeatureSelection selection) {
    return selection instanceof FeatureSelection.Service service
        ? repository.featureService(service.name()).features()
        : ((FeatureSelection.References) selection).references();
  }

  /**
   * The entity table's event-time column, as Feast infers it: {@code event_timestamp} when there is
   * one, else the table's only timestamp column.
   */
  public static String entityTimestampColumn(Schema entitySchema) {
    Field named = null;
    List<String> timestamps = new ArrayList<>();
    for (Field field : entitySchema.getFields()) {
      if (field.getName().equals(HistoricalFeaturesRequest.EVENT_TIMESTAMP)) {
        named = field;
      }
      if (field.getType() instanceof ArrowType.Timestamp) {
        timestamps.add(field.getName());
      }
    }
    if (named != null) {
      if (!(named.getType() instanceof ArrowType.Timestamp)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_ENTITY_TABLE,
            "entity table column '"
                + HistoricalFeaturesRequest.EVENT_TIMESTAMP
                + "' must be a timestamp, not "
                + TypeNames.of(named.getType()));
      }
      return named.getName();
    }
    if (timestamps.size() == 1) {
      return timestamps.get(0);
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_ENTITY_TABLE,
        timestamps.isEmpty()
            ? "entity table has no timestamp column (columns: "
                + columnNames(entitySchema)
                + "); name its event time '"
                + HistoricalFeaturesRequest.EVENT_TIMESTAMP
                + "'"
            : "entity table has several timestamp columns ("
                + String.join(", ", timestamps)
                + ") and none named '"
                + HistoricalFeaturesRequest.EVENT_TIMESTAMP
                + "': name the event time so");
  }

  private static String columnNames(Schema schema) {
    return String.join(", ", schema.getFields().stream().map(Field::getName).toList());
  }

  /**
   * Checks what the schema cannot tell: every entity row has a timestamp, and each fits in epoch
   * microseconds (a seconds value near Long.MAX_VALUE does not).
   */
  public static void checkEntityRows(VectorSchemaRoot entityRows) {
    String column = entityTimestampColumn(entityRows.getSchema());
    TimeStampVector timestamps = (TimeStampVector) entityRows.getVector(column);
    int rows = entityRows.getRowCount();
    for (int row = 0; row < rows; row++) {
      if (timestamps.isNull(row)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_ENTITY_TABLE, "entity table has a null " + column + " at row " + row);
      }
      try {
        Timestamps.epochMicros(timestamps, row);
      } catch (ArithmeticException e) {
        throw new FlightdeckException(
            ErrorCode.INVALID_ENTITY_TABLE,
            "entity table "
                + column
                + " at row "
                + row
                + " is out of range: "
                + timestamps.get(row)
                + " does not fit in epoch microseconds",
            e);
      }
    }
  }

  private static void checkJoinKey(FeatureView view, String key, Field field) {
    if (field == null) {
      throw new FlightdeckException(
          ErrorCode.INVALID_ENTITY_TABLE,
          "entity table has no column '"
              + key
              + "', a join key of feature view '"
              + view.name()
              + "'");
    }
    if (JoinKeys.kindOf(field.getType()) == null) {
      throw new FlightdeckException(
          ErrorCode.INVALID_ENTITY_TABLE,
          "entity table column '"
              + key
              + "' is "
              + TypeNames.of(field.getType())
              + "; join keys must be integers or strings");
    }
  }
}
