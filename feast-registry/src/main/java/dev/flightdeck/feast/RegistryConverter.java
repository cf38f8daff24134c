package dev.flightdeck.feast;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.feast.proto.core.DataSourceProto;
import dev.flightdeck.feast.proto.core.EntityProto;
import dev.flightdeck.feast.proto.core.FeatureProto.FeatureSpecV2;
import dev.flightdeck.feast.proto.core.FeatureReferenceProto.FeatureViewProjection;
import dev.flightdeck.feast.proto.core.FeatureServiceProto;
import dev.flightdeck.feast.proto.core.FeatureViewProto;
import dev.flightdeck.feast.proto.core.OnDemandFeatureViewProto.OnDemandFeatureView;
import dev.flightdeck.feast.proto.core.ProjectProto.Project;
import dev.flightdeck.feast.proto.core.RegistryProto.Registry;
import dev.flightdeck.feast.proto.core.StreamFeatureViewProto.StreamFeatureView;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.Entity;
import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.UnservedDefinition;
import dev.flightdeck.repository.UnservedDefinition.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns one project of a Feast registry into a {@link FeatureRepository}. What Flightdeck cannot
 * serve (on-demand and stream views, non-file sources, list-typed features, services that use them)
 * is kept as {@link UnservedDefinition}s, so the rest of the registry is served and a request for
 * one of those is refused with the reason.
 */
final class RegistryConverter {
  /** Feast's placeholder entity of entity-less views; Flightdeck's views simply have none. */
  static final String DUMMY_ENTITY = "__dummy";

  private final FeastConfig config;
  private final Path repositoryDir;
  private final Map<String, Entity> entities = new LinkedHashMap<>();
  private final Map<String, String> invalidEntities = new LinkedHashMap<>();
  private final Map<String, DataSource> sources = new LinkedHashMap<>();
  private final Map<String, FeatureView> views = new LinkedHashMap<>();
  private final List<FeatureService> services = new ArrayList<>();
  private final Map<String, UnservedDefinition> unserved = new LinkedHashMap<>();

  private RegistryConverter(FeastConfig config, Path repositoryDir) {
    this.config = requireNonNull(config, "config is null");
    this.repositoryDir = requireNonNull(repositoryDir, "repositoryDir is null");
  }

  static FeatureRepository convert(Registry registry, FeastConfig config, Path repositoryDir) {
    return new RegistryConverter(config, repositoryDir).convert(registry);
  }

  private FeatureRepository convert(Registry registry) {
    String project = config.project();
    checkProject(registry, project);
    for (EntityProto.Entity entity : registry.getEntitiesList()) {
      EntityProto.EntitySpecV2 spec = entity.getSpec();
      if (spec.getProject().equals(project) && !spec.getName().equals(DUMMY_ENTITY)) {
        String joinKey = spec.getJoinKey().isEmpty() ? spec.getName() : spec.getJoinKey();
        try {
          entities.put(spec.getName(), new Entity(spec.getName(), List.of(joinKey)));
        } catch (FlightdeckException e) {
          invalidEntities.put(spec.getName(), e.getMessage());
        }
      }
    }
    for (DataSourceProto.DataSource source : registry.getDataSourcesList()) {
      if (source.getProject().equals(project)) {
        addSource(source);
      }
    }
    for (FeatureViewProto.FeatureView view : registry.getFeatureViewsList()) {
      if (view.getSpec().getProject().equals(project)) {
        addView(view.getSpec());
      }
    }
    for (OnDemandFeatureView view : registry.getOnDemandFeatureViewsList()) {
      if (view.getSpec().getProject().equals(project)) {
        refuse(
            Kind.FEATURE_VIEW,
            view.getSpec().getName(),
            "is an on-demand feature view: its transformation is Python code, which Flightdeck"
                + " cannot run");
      }
    }
    for (StreamFeatureView view : registry.getStreamFeatureViewsList()) {
      if (view.getSpec().getProject().equals(project)) {
        refuse(
            Kind.FEATURE_VIEW,
            view.getSpec().getName(),
            "is a stream feature view (its aggregations and transformations run in Feast's"
                + " stream processing); Flightdeck serves batch feature views");
      }
    }
    for (FeatureServiceProto.FeatureService service : registry.getFeatureServicesList()) {
      if (service.getSpec().getProject().equals(project)) {
        addService(service.getSpec());
      }
    }
    return new FeatureRepository(
        project,
        config.offlineStore(),
        List.copyOf(entities.values()),
        List.copyOf(sources.values()),
        List.copyOf(views.values()),
        services,
        List.copyOf(unserved.values()));
  }

  private void checkProject(Registry registry, String project) {
    TreeSet<String> projects = new TreeSet<>();
    registry.getProjectsList().stream()
        .map(Project::getSpec)
        .forEach(p -> projects.add(p.getName()));
    registry.getEntitiesList().forEach(e -> projects.add(e.getSpec().getProject()));
    registry.getDataSourcesList().forEach(s -> projects.add(s.getProject()));
    registry.getFeatureViewsList().forEach(v -> projects.add(v.getSpec().getProject()));
    registry.getOnDemandFeatureViewsList().forEach(v -> projects.add(v.getSpec().getProject()));
    registry.getStreamFeatureViewsList().forEach(v -> projects.add(v.getSpec().getProject()));
    registry.getFeatureServicesList().forEach(s -> projects.add(s.getSpec().getProject()));
    projects.remove("");
    if (!projects.contains(project)) {
      throw FeastConfig.invalid(
          "the registry holds no project '"
              + project
              + "' (feature_store.yaml's project; "
              + (projects.isEmpty()
                  ? "the registry is empty: run feast apply"
                  : "projects in it: " + String.join(", ", projects))
              + ")");
    }
  }

  // ---- data sources ----------------------------------------------------------------------------

  /** Adds a source of the registry; returns why it is not served, or empty when it is. */
  private Optional<String> addSource(DataSourceProto.DataSource proto) {
    String name = proto.getName();
    if (proto.hasBatchSource()) {
      addSource(proto.getBatchSource()); // a push or stream source's history
    }
    Optional<String> reason = fileSourceProblem(proto);
    if (reason.isPresent()) {
      refuse(Kind.DATA_SOURCE, name, reason.get());
      return reason;
    }
    DataSource source;
    try {
      source =
          new DataSource(
              name,
              path(proto.getFileOptions().getUri()),
              proto.getTimestampField(),
              proto.getCreatedTimestampColumn().isEmpty()
                  ? Optional.empty()
                  : Optional.of(proto.getCreatedTimestampColumn()),
              proto.getFieldMappingMap());
    } catch (FlightdeckException e) {
      refuse(Kind.DATA_SOURCE, name, "is not valid: " + e.getMessage());
      return Optional.of("is not valid: " + e.getMessage());
    }
    DataSource known = sources.putIfAbsent(name, source);
    if (known != null && !known.equals(source)) {
      return Optional.of(
          "is defined twice in the registry, differently ("
              + known.location().value()
              + " and "
              + source.location().value()
              + ")");
    }
    return Optional.empty();
  }

  private static Optional<String> fileSourceProblem(DataSourceProto.DataSource proto) {
    DataSourceProto.DataSource.SourceType type = proto.getType();
    boolean file =
        type == DataSourceProto.DataSource.SourceType.BATCH_FILE || proto.hasFileOptions();
    if (!file) {
      if (proto.hasBatchSource()) {
        return Optional.of(
            "is a "
                + type.name()
                + " source: its history is read from its batch source '"
                + proto.getBatchSource().getName()
                + "'");
      }
      return Optional.of("is a " + type.name() + " source; Flightdeck serves Feast file sources");
    }
    if (proto.getFileOptions().getFileFormat().hasDeltaFormat()) {
      return Optional.of("is a Delta table; Flightdeck reads Parquet files");
    }
    String uri = proto.getFileOptions().getUri();
    if (uri.isEmpty()) {
      return Optional.of("has no path");
    }
    int scheme = uri.indexOf("://");
    if (scheme > 0 && !uri.startsWith("file://")) {
      return Optional.of(
          "reads " + uri.substring(0, scheme) + ":// files; Flightdeck reads local files only");
    }
    if (proto.getTimestampField().isEmpty()) {
      return Optional.of("has no timestamp_field");
    }
    return Optional.empty();
  }

  /** The path as the file backend reads it: a file:// URI becomes its absolute path. */
  private String path(String uri) {
    return uri.startsWith("file://")
        ? FeastConfig.localPath(repositoryDir, uri, "path").toString()
        : uri;
  }

  // ---- feature views -------------------------------------------------------------------------

  private void addView(FeatureViewProto.FeatureViewSpec spec) {
    String name = spec.getName();
    if (spec.hasFeatureTransformation() || spec.getSourceViewsCount() > 0) {
      refuse(
          Kind.FEATURE_VIEW,
          name,
          "is a transformed or derived feature view: its transformation runs in Feast, which"
              + " Flightdeck cannot do");
      return;
    }
    if (!spec.hasBatchSource()) {
      refuse(Kind.FEATURE_VIEW, name, "has no batch source");
      return;
    }
    // A view fed by a push or stream source reads its history from its batch source, as in Feast.
    DataSourceProto.DataSource batch = spec.getBatchSource();
    Optional<String> sourceProblem = addSource(batch);
    if (sourceProblem.isPresent()) {
      refuse(
          Kind.FEATURE_VIEW,
          name,
          "reads data source '" + batch.getName() + "', which " + sourceProblem.get());
      return;
    }
    List<String> viewEntities = new ArrayList<>();
    for (String entity : spec.getEntitiesList()) {
      if (entity.equals(DUMMY_ENTITY)) {
        continue;
      }
      if (!entities.containsKey(entity)) {
        refuse(
            Kind.FEATURE_VIEW,
            name,
            "uses entity '"
                + entity
                + "', which "
                + (invalidEntities.containsKey(entity)
                    ? "is not valid: " + invalidEntities.get(entity)
                    : "the registry lacks"));
        return;
      }
      viewEntities.add(entity);
    }
    List<Feature> features = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (FeatureSpecV2 feature : spec.getFeaturesList()) {
      Optional<dev.flightdeck.repository.ValueType> type = FeastTypes.of(feature.getValueType());
      if (type.isPresent()) {
        features.add(new Feature(feature.getName(), type.get()));
      } else {
        String reason = FeastTypes.refusal(feature.getValueType());
        refused.add(feature.getName() + " " + reason);
        refuse(Kind.FEATURE, name + ":" + feature.getName(), reason);
      }
    }
    if (features.isEmpty()) {
      refuse(
          Kind.FEATURE_VIEW,
          name,
          "has no feature Flightdeck can serve ("
              + (refused.isEmpty() ? "it declares none" : String.join("; ", refused))
              + ")");
      return;
    }
    Duration ttl = Duration.ofSeconds(spec.getTtl().getSeconds(), spec.getTtl().getNanos()).abs();
    try {
      views.put(name, new FeatureView(name, viewEntities, ttl, batch.getName(), features));
    } catch (FlightdeckException e) {
      refuse(Kind.FEATURE_VIEW, name, "is not valid: " + e.getMessage());
    }
  }

  // ---- feature services ----------------------------------------------------------------------

  private void addService(FeatureServiceProto.FeatureServiceSpec spec) {
    String name = spec.getName();
    List<FeatureReference> references = new ArrayList<>();
    Map<String, String> aliases = new LinkedHashMap<>();
    Set<String> projected = new HashSet<>();
    for (FeatureViewProjection projection : spec.getFeaturesList()) {
      String viewName = projection.getFeatureViewName();
      Optional<String> problem = projectionProblem(projection, projected);
      if (problem.isPresent()) {
        refuse(Kind.FEATURE_SERVICE, name, problem.get());
        return;
      }
      FeatureView view = views.get(viewName);
      List<String> featureNames =
          projection.getFeatureColumnsList().isEmpty()
              ? view.features().stream().map(Feature::name).toList()
              : projection.getFeatureColumnsList().stream().map(FeatureSpecV2::getName).toList();
      for (String feature : featureNames) {
        FeatureReference reference = new FeatureReference(viewName, feature);
        UnservedDefinition refusedFeature = unserved.get(key(Kind.FEATURE, reference.toString()));
        if (refusedFeature != null) {
          refuse(
              Kind.FEATURE_SERVICE,
              name,
              "lists feature '" + reference + "', which " + refusedFeature.reason());
          return;
        }
        if (view.findFeature(feature).isEmpty()) {
          refuse(
              Kind.FEATURE_SERVICE,
              name,
              "lists feature '" + reference + "', which its view does not declare");
          return;
        }
        references.add(reference);
      }
      if (!projection.getFeatureViewNameAlias().isEmpty()) {
        aliases.put(viewName, projection.getFeatureViewNameAlias());
      }
    }
    Optional<String> destination =
        spec.getLoggingConfig().hasFileDestination()
                && !spec.getLoggingConfig().getFileDestination().getPath().isEmpty()
            ? Optional.of(spec.getLoggingConfig().getFileDestination().getPath())
            : Optional.empty();
    try {
      services.add(new FeatureService(name, references, destination, aliases));
    } catch (FlightdeckException e) {
      refuse(Kind.FEATURE_SERVICE, name, "is not valid: " + e.getMessage());
    }
  }

  private Optional<String> projectionProblem(
      FeatureViewProjection projection, Set<String> projected) {
    String viewName = projection.getFeatureViewName();
    UnservedDefinition refusedView = unserved.get(key(Kind.FEATURE_VIEW, viewName));
    if (refusedView != null) {
      return Optional.of("uses feature view '" + viewName + "', which " + refusedView.reason());
    }
    if (!views.containsKey(viewName)) {
      return Optional.of("uses feature view '" + viewName + "', which the registry lacks");
    }
    if (projection.getJoinKeyMapCount() > 0) {
      return Optional.of(
          "maps the join keys of feature view '"
              + viewName
              + "' (join_key_map), which Flightdeck does not support yet");
    }
    if (projection.hasVersionTag()) {
      return Optional.of(
          "pins feature view '"
              + viewName
              + "' to version "
              + projection.getVersionTag()
              + ", which Flightdeck does not support");
    }
    if (!projected.add(viewName)) {
      return Optional.of("projects feature view '" + viewName + "' twice");
    }
    return Optional.empty();
  }

  private void refuse(Kind kind, String name, String reason) {
    unserved.putIfAbsent(key(kind, name), new UnservedDefinition(kind, name, reason));
    if (kind == Kind.DATA_SOURCE) {
      sources.remove(name);
    }
  }

  private static String key(Kind kind, String name) {
    return kind + "/" + name;
  }
}
