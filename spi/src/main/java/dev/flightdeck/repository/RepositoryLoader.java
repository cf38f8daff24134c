package dev.flightdeck.repository;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads {@code feature_store.yaml} from a repository folder into a validated {@link
 * FeatureRepository}. Unknown keys are refused, and every error names the file, the entry and the
 * offending value.
 */
public final class RepositoryLoader {
  public static final String FILE_NAME = "feature_store.yaml";

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

  private RepositoryLoader() {}

  public static FeatureRepository load(Path repositoryDir) {
    Path file = repositoryDir.resolve(FILE_NAME);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "no " + FILE_NAME + " in repository folder " + repositoryDir);
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY, "cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (FlightdeckException e) {
      throw new FlightdeckException(e.code(), file + ": " + e.getMessage(), e);
    }
  }

  public static FeatureRepository parse(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JacksonException e) {
      throw Names.invalid("not valid YAML: " + e.getOriginalMessage());
    }
    YamlSection top = new YamlSection(root, "");
    top.allowOnly(ROOT_KEYS);

    YamlSection storeSection =
        top.section("offline_store")
            .orElseThrow(() -> Names.invalid("missing required key 'offline_store'"));
    OfflineStoreConfig store =
        new OfflineStoreConfig(
            storeSection.requireString("type"), storeSection.stringMap(Set.of("type")));

    List<Entity> entities =
        top.sectionList("entities").stream().map(RepositoryLoader::entity).toList();
    List<DataSource> sources =
        top.sectionList("data_sources").stream().map(RepositoryLoader::source).toList();
    List<FeatureView> views =
        top.sectionList("feature_views").stream().map(RepositoryLoader::view).toList();
    List<FeatureService> services =
        top.sectionList("feature_services").stream().map(RepositoryLoader::service).toList();
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
        section.sectionList("schema").stream().map(RepositoryLoader::feature).toList();
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
                section.section("logging").map(RepositoryLoader::loggingDestination)));
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
