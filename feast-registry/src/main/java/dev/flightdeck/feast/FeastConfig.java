package dev.flightdeck.feast;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureStoreFile;
import dev.flightdeck.repository.OfflineStoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Feast's {@code feature_store.yaml} as Flightdeck's offline server reads it. Keys that only
 * Feast's online side, its materialization or its tooling use are accepted and reported in {@link
 * #ignoredKeys}; a key that would change what offline retrieval answers and that Flightdeck does
 * not support is an error that names it; any other key is refused, as Feast refuses it.
 *
 * @param project the project to serve from the registry
 * @param registry the registry file, resolved against the repository folder
 * @param offlineStore the backend: Flightdeck's {@code file}, with any keys given after {@code
 *     type}
 * @param ignoredKeys the keys accepted and not used, as {@code key} or {@code section.key}
 * @param warnings what the operator should know about keys Flightdeck ignores (such as {@code
 *     auth}, which Flightdeck does not enforce)
 */
public record FeastConfig(
    String project,
    Path registry,
    OfflineStoreConfig offlineStore,
    List<String> ignoredKeys,
    List<String> warnings) {

  /** Keys read here. */
  private static final Set<String> USED = Set.of("project", "registry", "offline_store");

  /** Keys of Feast's online side, materialization and tooling: no effect on offline answers. */
  private static final Set<String> IGNORED =
      Set.of(
          "provider",
          "online_store",
          "entity_key_serialization_version",
          "auth",
          "feature_server",
          "batch_engine",
          "batch_engine_config",
          "materialization",
          "flags",
          "project_description",
          "embedding_model",
          "openlineage",
          "mlflow",
          "data_quality_monitoring",
          "go_feature_serving",
          "go_feature_retrieval");

  /** Registry keys about caching, online versioning and tooling: Flightdeck reads it once. */
  private static final Set<String> IGNORED_REGISTRY_KEYS =
      Set.of(
          "cache_ttl_seconds",
          "cache_mode",
          "purge_feast_metadata",
          "enable_online_feature_view_versioning",
          "mcp",
          "s3_additional_kwargs");

  /** Feast's offline store types served by Flightdeck's file backend. */
  private static final Set<String> FILE_TYPES = Set.of("file", "dask");

  public static final String FILE_BACKEND = "file";

  public FeastConfig {
    requireNonNull(project, "project is null");
    requireNonNull(registry, "registry is null");
    requireNonNull(offlineStore, "offlineStore is null");
    ignoredKeys = List.copyOf(ignoredKeys);
    warnings = List.copyOf(warnings);
  }

  public static FeastConfig from(FeatureStoreFile file) {
    JsonNode root = file.root();
    List<String> ignored = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> unknown = new TreeSet<>();
    for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (key.equals("coerce_tz_aware")) {
        if (!root.get(key).isBoolean() || !root.get(key).asBoolean()) {
          throw unsupported(
              "coerce_tz_aware: false (Flightdeck reads every entity timestamp as UTC, as Feast"
                  + " does by default)");
        }
        ignored.add(key);
      } else if (key.equals("repo_path")) {
        throw unsupported(
            "repo_path (relative file source paths are resolved against the repository folder"
                + " Flightdeck serves)");
      } else if (IGNORED.contains(key)) {
        ignored.add(key);
      } else if (!USED.contains(key)) {
        unknown.add(key);
      }
    }
    if (!unknown.isEmpty()) {
      Set<String> known = new TreeSet<>(USED);
      known.addAll(IGNORED);
      known.add("coerce_tz_aware");
      throw invalid(
          "unknown key(s) "
              + String.join(", ", unknown)
              + " (known in a Feast feature_store.yaml: "
              + String.join(", ", known)
              + ")");
    }
    JsonNode auth = root.get("auth");
    if (auth != null && !authIsNone(auth)) {
      warnings.add(
          "auth is set in "
              + file.file().getFileName()
              + ", and Flightdeck does not read Feast's auth settings: protect the server with"
              + " serve --auth-tokens, --auth-jwks or --tls-client-ca");
    }
    String project = text(root, "project", "project");
    Path registry = registry(file, root.get("registry"), ignored);
    OfflineStoreConfig offlineStore = offlineStore(root.get("offline_store"));
    return new FeastConfig(project, registry, offlineStore, ignored, warnings);
  }

  private static boolean authIsNone(JsonNode auth) {
    JsonNode type = auth.isObject() ? auth.get("type") : auth;
    return type == null || type.isNull() || type.asText().equals("no_auth");
  }

  private static Path registry(FeatureStoreFile file, JsonNode node, List<String> ignored) {
    if (node == null || node.isNull()) {
      throw invalid("missing required key 'registry'");
    }
    String path;
    if (node.isTextual()) {
      path = node.asText();
    } else if (node.isObject()) {
      String type = node.has("registry_type") ? text(node, "registry_type", "registry") : "file";
      if (!type.equals("file")) {
        throw unsupported(
            "registry.registry_type '"
                + type
                + "' (Flightdeck reads Feast's file registry only: registry_type: file)");
      }
      Set<String> unknown = new TreeSet<>();
      for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (key.equals("path") || key.equals("registry_type")) {
          continue;
        }
        if (key.equals("registry_store_type")) {
          throw unsupported(
              "registry.registry_store_type (Flightdeck reads a registry file on local disk)");
        }
        if (IGNORED_REGISTRY_KEYS.contains(key)) {
          ignored.add("registry." + key);
        } else {
          unknown.add(key);
        }
      }
      if (!unknown.isEmpty()) {
        throw invalid("unknown key(s) under registry: " + String.join(", ", unknown));
      }
      path = text(node, "path", "registry.path");
    } else {
      throw invalid("'registry' must be a path or a mapping with path and registry_type");
    }
    return localPath(file.repositoryDir(), path, "registry");
  }

  /**
   * A local path, as Feast resolves it: relative to the repository folder unless absolute; {@code
   * file://} URIs are local too. Remote object storage is refused, naming {@code what}.
   */
  static Path localPath(Path repositoryDir, String path, String what) {
    String local = path;
    int scheme = path.indexOf("://");
    if (scheme > 0) {
      if (!path.startsWith("file://")) {
        throw unsupported(
            what
                + " '"
                + path
                + "' (Flightdeck reads local files only, not "
                + path.substring(0, scheme)
                + "://)");
      }
      local = Path.of(URI.create(path)).toString();
    }
    Path given = Path.of(local);
    return given.isAbsolute() ? given : repositoryDir.resolve(given);
  }

  private static OfflineStoreConfig offlineStore(JsonNode node) {
    if (node == null || node.isNull()) {
      return new OfflineStoreConfig(FILE_BACKEND, Map.of()); // Feast's default: dask, on files
    }
    if (node.isTextual()) {
      checkFileType(node.asText());
      return new OfflineStoreConfig(FILE_BACKEND, Map.of());
    }
    if (!node.isObject()) {
      throw invalid("'offline_store' must be a type name or a mapping with a type");
    }
    checkFileType(node.has("type") ? text(node, "type", "offline_store.type") : "dask");
    // Keys after type are Flightdeck's file backend's own (cache_size, output_dir, ...); the
    // backend checks them as strictly as it checks its own repositories.
    Map<String, String> properties = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getKey().equals("type")) {
        if (!field.getValue().isValueNode()) {
          throw invalid("offline_store." + field.getKey() + " must be a single value");
        }
        properties.put(field.getKey(), field.getValue().asText());
      }
    }
    return new OfflineStoreConfig(FILE_BACKEND, properties);
  }

  private static void checkFileType(String type) {
    if (!FILE_TYPES.contains(type)) {
      throw unsupported(
          "offline_store type '"
              + type
              + "' (Flightdeck serves Feast repositories whose offline store is type: file or"
              + " dask, on Parquet files)");
    }
  }

  private static String text(JsonNode node, String key, String name) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      throw invalid("missing required key '" + name + "'");
    }
    if (!value.isValueNode() || value.asText().isBlank()) {
      throw invalid("'" + name + "' must be a non-empty string");
    }
    return value.asText();
  }

  static FlightdeckException invalid(String message) {
    return new FlightdeckException(ErrorCode.INVALID_REPOSITORY, message);
  }

  private static FlightdeckException unsupported(String what) {
    return invalid("not supported: " + what);
  }
}
