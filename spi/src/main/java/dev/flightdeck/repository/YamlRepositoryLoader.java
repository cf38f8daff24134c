package dev.flightdeck.repository;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads Flightdeck's own {@code feature_store.yaml}, which declares the whole repository (entities,
 * data sources, feature views, services) in the file, into a validated {@link FeatureRepository}.
 * Unknown keys are refused, and every error names the file, the entry and the offending value. It
 * reads every file that does not name a Feast {@code registry}.
 */
public final class YamlRepositoryLoader implements RepositoryLoader {
  private static final Set<String> ROOT_KEYS =
      Set.of(
          "project",
          "offline_store",
          "entities",
          "data_sources",
          "feature_views",
          "feature_services");
  private static final Set<String> ENTITY_KEYS = Set.of("name", "join_keys", "description");
  private static final Set<String> SOURCE_KEYS =
      Set.of(
          "name",
          "path",
          "table",
          "query",
          "timestamp_field",
          "created_timestamp_column",
          "field_mapping",
          "description");
  private static final Set<String> VIEW_KEYS =
      Set.of("name", "entities", "ttl", "source", "schema", "description");
  private static final Set<String> FEATURE_KEYS = Set.of("name", "dtype", "description");
  private static final Set<String> SERVICE_KEYS =
      Set.of("name", "features", "description", "logging");
  private static final Set<String> LOGGING_KEYS = Set.of("destination");

  @Override
  public String format() {
    return "Flightdeck feature_store.yaml";
  }

  /** Every file without Feast's {@code registry} key is Flightdeck's own format. */
  @Override
  public boolean reads(FeatureStoreFile file) {
    return !file.root().has(FeatureStoreFile.FEAST_REGISTRY_KEY);
  }

  @Override
  public FeatureRepository load(FeatureStoreFile file) {
    try {
      return parse(file.root());
    } catch (FlightdeckException e) {
      throw new FlightdeckException(e.code(), file.file() + ": " + e.getMessage(), e);
    }
  }

  /** Parses the text of a Flightdeck {@code feature_store.yaml}. */
  public static FeatureRepository parse(String yaml) {
    return parse(FeatureStoreFile.parseYaml(yaml));
  }

  private static FeatureRepository parse(JsonNode root) {
    YamlSection top = new YamlSection(root, "");
    top.allowOnly(ROOT_KEYS);

    YamlSection storeSection =
        top.section("offline_store")
            .orElseThrow(() -> Names.invalid("missing required key 'offline_store'"));
    OfflineStoreConfig store =
        new OfflineStoreConfig(
            storeSection.requireString("type"), storeSection.stringMap(Set.of("type")));

    List<Entity> entities =
        top.sectionList("entities").stream().map(YamlRepositoryLoader::entity).toList();
    List<DataSource> sources =
        top.sectionList("data_sources").stream().map(YamlRepositoryLoader::source).toList();
    List<FeatureView> views =
        top.sectionList("feature_views").stream().map(YamlRepositoryLoader::view).toList();
    List<FeatureService> services =
        top.sectionList("feature_services").stream().map(YamlRepositoryLoader::service).toList();
    return new FeatureRepository(
        top.requireString("project"), store, entities, sources, views, services);
  }

  private static Entity entity(YamlSection section) {
    section.allowOnly(ENTITY_KEYS);
    return withPlace(
        section,
        () -> new Entity(section.requireString("name"), section.stringList("join_keys", true)));
  }

  private static DataSource source(YamlSection section) {
    section.allowOnly(SOURCE_KEYS);
    Map<String, String> mapping =
        section.section("field_mapping").map(s -> s.stringMap(Set.of())).orElse(Map.of());
    return withPlace(
        section,
        () ->
            new DataSource(
                section.requireString("name"),
                location(section),
                section.requireString("timestamp_field"),
                section.optionalString("created_timestamp_column"),
                mapping));
  }

  /** Exactly one of {@code path}, {@code table} and {@code query}. */
  private static SourceLocation location(YamlSection section) {
    List<SourceLocation> given = new ArrayList<>();
    section.optionalString("path").ifPresent(path -> given.add(new SourceLocation.Path(path)));
    section.optionalString("table").ifPresent(table -> given.add(new SourceLocation.Table(table)));
    section.optionalString("query").ifPresent(query -> given.add(new SourceLocation.Query(query)));
    if (given.size() != 1) {
      throw Names.invalid(
          section.where() + ": give exactly one of path, table and query, not " + given.size());
    }
    return given.get(0);
  }

  private static FeatureView view(YamlSection section) {
    section.allowOnly(VIEW_KEYS);
    List<Feature> features =
        section.sectionList("schema").stream().map(YamlRepositoryLoader::feature).toList();
    Duration ttl =
        section.optionalString("ttl").map(value -> ttl(section, value)).orElse(Duration.ZERO);
    return withPlace(
        section,
        () ->
            new FeatureView(
                section.requireString("name"),
                section.stringList("entities", false),
                ttl,
                section.requireString("source"),
                features));
  }

  private static Feature feature(YamlSection section) {
    section.allowOnly(FEATURE_KEYS);
    return withPlace(
        section,
        () ->
            new Feature(
                section.requireString("name"),
                ValueType.fromDtype(section.requireString("dtype"))));
  }

  private static FeatureService service(YamlSection section) {
    section.allowOnly(SERVICE_KEYS);
    return withPlace(
        section,
        () ->
            new FeatureService(
                section.requireString("name"),
                section.stringList("features", true).stream().map(FeatureReference::parse).toList(),
                section.section("logging").map(YamlRepositoryLoader::loggingDestination)));
  }

  private static String loggingDestination(YamlSection logging) {
    logging.allowOnly(LOGGING_KEYS);
    return logging.requireString("destination");
  }

  private static Duration ttl(YamlSection section, String value) {
    if (value.equals("0")) {
      return Duration.ZERO;
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw Names.invalid(
          section.where()
              + ": ttl '"
              + value
              + "' is not an ISO-8601 duration such as P1D or PT2H");
    }
  }

  /** Prefixes a validation error raised by a record's constructor with the entry it came from. */
  private static <T> T withPlace(YamlSection section, Supplier<T> build) {
    try {
      return build.get();
    } catch (FlightdeckException e) {
      if (e.getMessage().startsWith(section.where())) {
        throw e;
      }
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY, section.where() + ": " + e.getMessage(), e);
    }
  }
}
