package dev.flightdeck.backend.jdbc.trino;

import dev.flightdeck.backend.jdbc.EntityRows;
import dev.flightdeck.backend.jdbc.SqlNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entity tables (and staged folders) a dead server left behind: a job drops its own when it ends,
 * but a server killed mid-job cannot, and Trino has no temporary tables to vanish with the session.
 * Once per store, on its first connection, those made more than {@link #AGE} ago (the time is in
 * their names) are dropped; no live job is that old.
 */
final class LeftoverEntityTables {
  static final Duration AGE = Duration.ofHours(24);

  private static final Logger log = LoggerFactory.getLogger(LeftoverEntityTables.class);

  private final TrinoSettings settings;
  private final AtomicBoolean swept = new AtomicBoolean();

  LeftoverEntityTables(TrinoSettings settings) {
    this.settings = settings;
  }

  /** Drops the leftovers older than {@link #AGE} at {@code now}, the first time it is called. */
  void sweepOnce(Connection connection, Instant now) {
    if (!swept.compareAndSet(false, true)) {
      return;
    }
    Instant before = now.minus(AGE);
    try {
      SqlNames names = new SqlNames(connection.getMetaData().getIdentifierQuoteString());
      dropTables(connection, names, settings.entitySchema(), before);
      if (settings.staging().isPresent()) {
        TrinoSettings.Staging staging = settings.staging().get();
        dropTables(connection, names, Optional.of(staging.schema()), before);
        deleteFolders(staging.folder(), before);
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("could not look for entity tables left by a stopped server: {}", e.getMessage());
    }
  }

  /** In {@code schema} (empty: the connection's own), drops the entity tables made before then. */
  private static void dropTables(
      Connection connection, SqlNames names, Optional<String> schema, Instant before)
      throws SQLException {
    List<String> old = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet tables =
            statement.executeQuery(
                "SHOW TABLES"
                    + schema.map(s -> " FROM " + names.table(s, "schema")).orElse("")
                    + " LIKE 'fd_entities_%'")) {
      while (tables.next()) {
        String table = tables.getString(1);
        if (EntityRows.madeAt(table).filter(made -> made.isBefore(before)).isPresent()) {
          old.add(table);
        }
      }
    }
    for (String table : old) {
      String relation = names.table(schema.map(s -> s + ".").orElse("") + table, "entity table");
      log.info("dropping entity table {}, left by a server stopped in a job", relation);
      InsertedEntityTable.drop(connection, relation);
    }
  }

  /** Staged folders whose table is gone already (or never made). */
  private static void deleteFolders(Path staging, Instant before) {
    if (!Files.isDirectory(staging)) {
      return;
    }
    try (Stream<Path> folders = Files.list(staging)) {
      for (Path folder : folders.toList()) {
        String name = folder.getFileName().toString();
        if (EntityRows.madeAt(name).filter(made -> made.isBefore(before)).isPresent()) {
          log.info("deleting staged entity rows {}, left by a server stopped in a job", folder);
          StagedEntityTable.deleteFolder(folder);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not look for staged entity rows in {}: {}", staging, e.toString());
    }
  }
}
