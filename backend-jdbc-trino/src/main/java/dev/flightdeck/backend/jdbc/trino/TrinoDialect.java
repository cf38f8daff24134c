package dev.flightdeck.backend.jdbc.trino;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.backend.jdbc.Dialect;
import dev.flightdeck.backend.jdbc.EntityRows;
import dev.flightdeck.backend.jdbc.EntityTable;
import dev.flightdeck.backend.jdbc.RowLoader;
import dev.flightdeck.backend.jdbc.SqlTypes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Trino: no temporary tables and no indexes, writes only in auto-commit mode, and no bulk load
 * through JDBC. Entity rows go into a table of their own, made per job and dropped when it ends: by
 * multi-row INSERTs, or, from {@code staging_min_rows} rows on where a staging folder is set, as a
 * Parquet file under an external Hive table. The join is standard SQL (Trino has no ASOF join); the
 * engine spreads it over its workers.
 */
final class TrinoDialect implements Dialect {
  private final TrinoSettings settings;
  private final LeftoverEntityTables leftovers;

  TrinoDialect(TrinoSettings settings) {
    this.settings = requireNonNull(settings, "settings is null");
    this.leftovers = new LeftoverEntityTables(settings);
  }

  @Override
  public String name() {
    return "trino";
  }

  /**
   * Flightdeck's tables hold zone-less {@code timestamp(6)} in UTC: no session zone matters. The
   * store's first connection drops the entity tables a stopped server left behind.
   */
  @Override
  public void setUp(Connection connection) {
    leftovers.sweepOnce(connection, Instant.now());
  }

  /** Trino's connectors refuse writes and DDL inside explicit transactions. */
  @Override
  public boolean transactions() {
    return false;
  }

  /** Trino's {@code timestamp} alone is milliseconds: microseconds are asked for. */
  @Override
  public String sqlType(ArrowType type) {
    if (type instanceof ArrowType.Timestamp) {
      return "TIMESTAMP(6)";
    }
    if (type instanceof ArrowType.FloatingPoint floating
        && floating.getPrecision() == FloatingPointPrecision.DOUBLE) {
      return "DOUBLE";
    }
    return SqlTypes.ansi(type);
  }

  @Override
  public RowLoader rowLoader() {
    return new TrinoInsertLoader(this::sqlType, TrinoInsertLoader.MAX_STATEMENT_CHARS);
  }

  @Override
  public EntityTable shipEntityRows(Connection connection, EntityRows rows) throws SQLException {
    if (settings.staging().isPresent() && rows.rowCount() >= settings.staging().get().minRows()) {
      return StagedEntityTable.create(this, connection, rows, settings.staging().get());
    }
    return InsertedEntityTable.create(this, connection, rows, settings.entitySchema());
  }
}
