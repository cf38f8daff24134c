package dev.flightdeck.retrieval;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Where a retrieval by time range (no entity table) takes its entity rows from, the same for every
 * backend: every feature row in range of the requested views that have entities, which must share
 * their join keys; entity-less views give the rows only when no keyed view is asked.
 *
 * @param views the views whose rows become entity rows, in request order
 * @param joinKeys their common join keys (empty for entity-less views)
 */
public record RangeRows(List<FeatureView> views, List<String> joinKeys) {
  private static final ArrowType MICROS_UTC = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

  public RangeRows {
    views = List.copyOf(views);
    joinKeys = List.copyOf(joinKeys);
    if (views.isEmpty()) {
      throw new IllegalArgumentException("views is empty");
    }
  }

  public static RangeRows of(FeatureRepository repository, FeatureSelection features) {
    requireNonNull(repository, "repository is null");
    List<FeatureView> requested = new ArrayList<>();
    for (FeatureReference reference : RetrievalPlan.references(repository, features)) {
      FeatureView view = repository.featureView(reference.view());
      if (!requested.contains(view)) {
        requested.add(view);
      }
    }
    List<FeatureView> keyed =
        requested.stream().filter(view -> !view.entities().isEmpty()).toList();
    List<FeatureView> views = keyed.isEmpty() ? requested : keyed;
    List<String> joinKeys = repository.joinKeys(views.get(0));
    for (FeatureView view : views) {
      if (!repository.joinKeys(view).equals(joinKeys)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "get_historical_features without entity_df needs views with the same join keys, but '"
                + views.get(0).name()
                + "' has "
                + joinKeys
                + " and '"
                + view.name()
                + "' has "
                + repository.joinKeys(view)
                + "; send an entity table, or request these views separately");
      }
    }
    return new RangeRows(views, joinKeys);
  }

  /**
   * The entity rows' schema: each join key with the type its first view's source stores ({@code
   * storedType}, by join-key name), then {@code event_timestamp} in UTC microseconds.
   */
  public Schema entitySchema(Function<String, ArrowType> storedType) {
    List<Field> fields = new ArrayList<>();
    for (String key : joinKeys) {
      fields.add(Field.nullable(key, storedType.apply(key)));
    }
    fields.add(Field.notNullable(HistoricalFeaturesRequest.EVENT_TIMESTAMP, MICROS_UTC));
    return new Schema(fields);
  }
}
