package dev.flightdeck.repository;

import static dev.flightdeck.repository.Names.checkName;
import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A validated feature repository: every name unique within its kind and every reference resolved.
 * Lookups fail with a NOT_FOUND code that lists the known names, or, for a definition the
 * repository has but Flightdeck cannot serve ({@link #unserved}), with UNSUPPORTED_DEFINITION and
 * the reason.
 */
public record FeatureRepository(
    String project,
    OfflineStoreConfig offlineStore,
    List<Entity> entities,
    List<DataSource> dataSources,
    List<FeatureView> featureViews,
    List<FeatureService> featureServices,
    List<UnservedDefinition> unserved) {

  public FeatureRepository(
      String project,
      OfflineStoreConfig offlineStore,
      List<Entity> entities,
      List<DataSource> dataSources,
      List<FeatureView> featureViews,
      List<FeatureService> featureServices) {
    this(project, offlineStore, entities, dataSources, featureViews, featureServices, List.of());
  }

  public FeatureRepository {
    checkName(project, "project");
    requireNonNull(offlineStore, "offlineStore is null");
    entities = List.copyOf(entities);
    dataSources = List.copyOf(dataSources);
    featureViews = List.copyOf(featureViews);
    featureServices = List.copyOf(featureServices);
    unserved = List.copyOf(unserved);

    Map<String, Entity> entitiesByName = index(entities, Entity::name, "entity");
    Map<String, DataSource> sourcesByName = index(dataSources, DataSource::name, "data source");
    Map<String, FeatureView> viewsByName = index(featureViews, FeatureView::name, "feature view");
    Map<String, FeatureService> servicesByName =
        index(featureServices, FeatureService::name, "feature service");
    for (UnservedDefinition definition : unserved) {
      boolean served =
          switch (definition.kind()) {
            case FEATURE_VIEW -> viewsByName.containsKey(definition.name());
            case FEATURE_SERVICE -> servicesByName.containsKey(definition.name());
            case DATA_SOURCE -> sourcesByName.containsKey(definition.name());
            case FEATURE -> servedFeature(viewsByName, definition.name());
          };
      if (served) {
        throw Names.invalid(
            definition.kind().label()
                + " '"
                + definition.name()
                + "' is both served and not served");
      }
    }

    for (FeatureView view : featureViews) {
      if (!sourcesByName.containsKey(view.source())) {
        throw Names.invalid(
            "feature view '"
                + view.name()
                + "' reads unknown data source '"
                + view.source()
                + "' (known: "
                + String.join(", ", sourcesByName.keySet())
                + ")");
      }
      List<String> joinKeys = new ArrayList<>();
      for (String entityName : view.entities()) {
        Entity entity = entitiesByName.get(entityName);
        if (entity == null) {
          throw Names.invalid(
              "feature view '"
                  + view.name()
                  + "' uses unknown entity '"
                  + entityName
                  + "' (known: "
                  + String.join(", ", entitiesByName.keySet())
                  + ")");
        }
        for (String key : entity.joinKeys()) {
          if (joinKeys.contains(key)) {
            throw Names.invalid(
                "feature view '" + view.name() + "' has join key '" + key + "' twice");
          }
          joinKeys.add(key);
        }
      }
      for (Feature feature : view.features()) {
        if (joinKeys.contains(feature.name())) {
          throw Names.invalid(
              "feature view '"
                  + view.name()
                  + "' declares feature '"
                  + feature.name()
                  + "', which is also one of its join keys");
        }
      }
    }
    for (FeatureService service : featureServices) {
      for (FeatureReference reference : service.features()) {
        FeatureView view = viewsByName.get(reference.view());
        if (view == null || view.findFeature(reference.feature()).isEmpty()) {
          throw Names.invalid(
              "feature service '" + service.name() + "' lists unknown feature '" + reference + "'");
        }
      }
    }
  }

  private static boolean servedFeature(Map<String, FeatureView> viewsByName, String reference) {
    int colon = reference.indexOf(':');
    FeatureView view = colon < 0 ? null : viewsByName.get(reference.substring(0, colon));
    return view != null && view.findFeature(reference.substring(colon + 1)).isPresent();
  }

  /** The same repository served by another offline store configuration. */
  public FeatureRepository withOfflineStore(OfflineStoreConfig offlineStore) {
    return new FeatureRepository(
        project, offlineStore, entities, dataSources, featureViews, featureServices, unserved);
  }

  public FeatureView featureView(String name) {
    refuseUnserved(UnservedDefinition.Kind.FEATURE_VIEW, name);
    return find(
        featureViews, FeatureView::name, name, ErrorCode.UNKNOWN_FEATURE_VIEW, "feature view");
  }

  /** The feature a reference names; an unserved one is refused with its reason. */
  public Feature feature(FeatureReference reference) {
    FeatureView view = featureView(reference.view());
    if (view.findFeature(reference.feature()).isEmpty()) {
      refuseUnserved(UnservedDefinition.Kind.FEATURE, reference.toString());
    }
    return view.feature(reference.feature());
  }

  public FeatureService featureService(String name) {
    refuseUnserved(UnservedDefinition.Kind.FEATURE_SERVICE, name);
    return find(
        featureServices,
        FeatureService::name,
        name,
        ErrorCode.UNKNOWN_FEATURE_SERVICE,
        "feature service");
  }

  public DataSource dataSource(String name) {
    refuseUnserved(UnservedDefinition.Kind.DATA_SOURCE, name);
    return find(dataSources, DataSource::name, name, ErrorCode.UNKNOWN_DATA_SOURCE, "data source");
  }

  private void refuseUnserved(UnservedDefinition.Kind kind, String name) {
    for (UnservedDefinition definition : unserved) {
      if (definition.kind() == kind && definition.name().equals(name)) {
        throw definition.refusal();
      }
    }
  }

  public Entity entity(String name) {
    return find(entities, Entity::name, name, ErrorCode.INVALID_REPOSITORY, "entity");
  }

  /** The join keys of a view, in the order of its entities and their keys. */
  public List<String> joinKeys(FeatureView view) {
    List<String> keys = new ArrayList<>();
    for (String entityName : view.entities()) {
      keys.addAll(entity(entityName).joinKeys());
    }
    return Collections.unmodifiableList(keys);
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> name, String what) {
    Map<String, T> byName = new LinkedHashMap<>();
    for (T item : items) {
      if (byName.put(name.apply(item), item) != null) {
        throw Names.invalid("duplicate " + what + " name '" + name.apply(item) + "'");
      }
    }
    return byName;
  }

  private static <T> T find(
      List<T> items, Function<T, String> name, String wanted, ErrorCode code, String what) {
    for (T item : items) {
      if (name.apply(item).equals(wanted)) {
        return item;
      }
    }
    List<String> known = items.stream().map(name).toList();
    throw new FlightdeckException(
        code, "unknown " + what + " '" + wanted + "' (known: " + String.join(", ", known) + ")");
  }
}
