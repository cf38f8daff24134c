package dev.flightdeck.backend.jdbc.trino;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Trino dialect's keys in {@code offline_store}: where entity tables are made, and where large
 * ones are staged as Parquet.
 *
 * @param entitySchema {@code catalog.schema} for entity tables filled by INSERT (the memory
 *     connector is the fast choice); empty: the URL's own catalog and schema
 * @param staging where entity tables of at least {@code staging_min_rows} rows go as Parquet files,
 *     if configured
 */
record TrinoSettings(Optional<String> entitySchema, Optional<Staging> staging) {
  static final String ENTITY_SCHEMA = "entity_schema";
  static final String STAGING_LOCATION = "staging_location";
  static final String STAGING_SCHEMA = "staging_schema";
  static final String STAGING_MIN_ROWS = "staging_min_rows";
  static final Set<String> KEYS =
      Set.of(ENTITY_SCHEMA, STAGING_LOCATION, STAGING_SCHEMA, STAGING_MIN_ROWS);

  /**
   * Measured on a two-node test cluster (docs/deployment.md): staging takes 0.08 s at 1,000 rows
   * against 0.18 s of INSERTs, and 0.15 s against 3.2 s at 100,000; below about a thousand rows the
   * file and the metastore entry cost as much as the rows.
   */
  static final int DEFAULT_STAGING_MIN_ROWS = 1_000;

  private static final Pattern SCHEMA =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");

  /**
   * @param location the folder as Trino's Hive catalog names it: {@code local:///path} for Trino's
   *     native local file system, {@code file:///path} for Hadoop's; Flightdeck writes to {@code
   *     path}, which every Trino worker must see at the same place (a shared mount)
   * @param schema {@code catalog.schema} of a Hive catalog that reads {@code location}
   * @param minRows entity tables of at least this many rows are staged
   */
  record Staging(URI location, String schema, int minRows) {
    Staging {
      requireNonNull(location, "location is null");
      requireNonNull(schema, "schema is null");
    }

    /** Where Flightdeck writes. */
    Path folder() {
      return Path.of(location.getPath());
    }

    /** The location of {@code name}, a folder in it, as Trino names it. */
    String location(String name) {
      String base = location.toString();
      return (base.endsWith("/") ? base : base + "/") + name;
    }
  }

  TrinoSettings {
    requireNonNull(entitySchema, "entitySchema is null");
    requireNonNull(staging, "staging is null");
  }

  static TrinoSettings from(Map<String, String> settings) {
    Optional<String> entitySchema =
        Optional.ofNullable(settings.get(ENTITY_SCHEMA)).map(s -> schema(ENTITY_SCHEMA, s));
    String location = settings.get(STAGING_LOCATION);
    String stagingSchema = settings.get(STAGING_SCHEMA);
    String minRows = settings.get(STAGING_MIN_ROWS);
    if (location == null) {
      if (stagingSchema != null || minRows != null) {
        throw invalid(
            "offline_store."
                + (stagingSchema != null ? STAGING_SCHEMA : STAGING_MIN_ROWS)
                + " is set without "
                + STAGING_LOCATION);
      }
      return new TrinoSettings(entitySchema, Optional.empty());
    }
    if (stagingSchema == null) {
      throw invalid(
          "offline_store."
              + STAGING_LOCATION
              + " needs "
              + STAGING_SCHEMA
              + ": the catalog.schema of a Hive catalog that reads it");
    }
    return new TrinoSettings(
        entitySchema,
        Optional.of(
            new Staging(
                folder(location),
                schema(STAGING_SCHEMA, stagingSchema),
                minRows == null ? DEFAULT_STAGING_MIN_ROWS : positive(STAGING_MIN_ROWS, minRows))));
  }

  private static String schema(String key, String value) {
    if (!SCHEMA.matcher(value).matches()) {
      throw invalid("offline_store." + key + " must be catalog.schema, not '" + value + "'");
    }
    return value;
  }

  /**
   * A {@code local:} or {@code file:} URI of an absolute folder, or an absolute path (meaning
   * {@code local://}, Trino's native local file system); object stores are not written to.
   */
  private static URI folder(String value) {
    try {
      URI uri = value.startsWith("/") ? new URI("local", "", value, null) : new URI(value);
      boolean local = "local".equals(uri.getScheme()) || "file".equals(uri.getScheme());
      if (local
          && uri.getPath() != null
          && uri.getPath().startsWith("/")
          && Path.of(uri.getPath())
              .normalize()
              .toString()
              .equals(uri.getPath().replaceAll("/$", ""))) {
        return uri;
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      // reported below
    }
    throw invalid(
        "offline_store."
            + STAGING_LOCATION
            + " must be an absolute local folder, or a local: or file: URI of one, not '"
            + value
            + "'");
  }

  private static int positive(String key, String value) {
    try {
      int number = Integer.parseInt(value.trim());
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid("offline_store." + key + " must be a positive integer, not '" + value + "'");
  }

  private static FlightdeckException invalid(String message) {
    return new FlightdeckException(ErrorCode.INVALID_CONFIGURATION, message);
  }
}
