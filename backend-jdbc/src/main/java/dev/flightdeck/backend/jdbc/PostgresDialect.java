package dev.flightdeck.backend.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * PostgreSQL: {@code BYTEA} for bytes, entity rows loaded with {@code COPY}, and, where the source
 * has an index for it, a point-in-time join that looks up each entity row's answer in the index.
 */
final class PostgresDialect implements Dialect {
  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String sqlType(ArrowType type) {
    return type instanceof ArrowType.Binary ? "BYTEA" : SqlTypes.ansi(type);
  }

  @Override
  public RowLoader temporaryTableLoader(String table) {
    return new PostgresCopyLoader();
  }

  /** The lateral join is driven from the entity rows; the ranked join from the source. */
  @Override
  public boolean indexesEntityTable() {
    return false;
  }

  @Override
  public boolean choosesByIndexes() {
    return true;
  }

  /**
   * With an index led by the join keys: {@code LEFT JOIN LATERAL (... ORDER BY timestamp DESC,
   * created DESC NULLS LAST LIMIT 1)}, one index probe per entity row that stops at the first
   * answer (an index on keys then timestamp gives the rows already in order). Without one, each
   * probe would scan the source, so the standard ranked join (hash join, then rank) runs instead.
   */
  @Override
  public String pointInTimeSql(PointInTimeQuery query) {
    if (!query.sourceIndexed()) {
      return query.ranked();
    }
    List<String> columns = new ArrayList<>();
    List<String> outer = new ArrayList<>();
    outer.add("e." + query.row());
    for (PointInTimeQuery.Feature feature : query.features()) {
      columns.add(feature.source() + " AS " + feature.alias());
      outer.add("r." + feature.alias());
    }
    List<String> conditions = query.keyConditions("e");
    conditions.add(query.sourceTimestamp() + " <= e." + query.entityTimestamp());
    query
        .lowerBound()
        .ifPresent(lower -> conditions.add(query.sourceTimestamp() + " >= e." + lower));
    String order = query.sourceTimestamp() + " DESC";
    if (query.sourceCreated().isPresent()) {
      order += ", " + query.sourceCreated().get() + " DESC NULLS LAST";
    }
    return "SELECT "
        + String.join(", ", outer)
        + " FROM "
        + query.entityTable()
        + " e LEFT JOIN LATERAL (SELECT "
        + String.join(", ", columns)
        + " FROM "
        + query.source()
        + " WHERE "
        + String.join(" AND ", conditions)
        + " ORDER BY "
        + order
        + " LIMIT 1) r ON TRUE ORDER BY e."
        + query.row();
  }
}
