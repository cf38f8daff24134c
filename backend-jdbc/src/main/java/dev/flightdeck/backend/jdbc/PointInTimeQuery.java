package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One view's point-in-time join, as the pieces of SQL a dialect assembles: for every row of the
 * entity table, the features of the source row with equal join keys and the latest timestamp at or
 * before the entity row's (then the latest created timestamp, nulls last), or nulls when there is
 * none or it is older than the lower bound. Every piece is quoted already; source columns are
 * qualified by the alias {@link #SOURCE}, entity columns are bare.
 *
 * <p>A dialect's SQL must give exactly one row per entity row, in entity row order, with the
 * columns {@code row} then each feature's alias.
 *
 * @param entityTable the session's entity table
 * @param row its row number column, 0 to n - 1
 * @param entityTimestamp its timestamp column
 * @param lowerBound its column of the earliest timestamp the view's TTL allows; empty: no TTL
 * @param keys the join keys, entity column beside source column
 * @param source the source relation with its alias, for a FROM clause
 * @param sourceTimestamp the source's event timestamp column
 * @param sourceCreated the source's created timestamp column, if it has one
 * @param features the feature columns of the source, each with its alias in the result
 * @param sourceIndexed whether the source is a table with an index led by the join keys (by the
 *     timestamp for a view without keys), so looking up one entity row's candidates is cheap
 */
public record PointInTimeQuery(
    String entityTable,
    String row,
    String entityTimestamp,
    Optional<String> lowerBound,
    List<Key> keys,
    String source,
    String sourceTimestamp,
    Optional<String> sourceCreated,
    List<Feature> features,
    boolean sourceIndexed) {
  /** The alias of the source relation in {@link #source}. */
  public static final String SOURCE = "s";

  /** A join key: the entity table's column and the source's. */
  public record Key(String entity, String source) {}

  /** A feature: the source's column and its alias in the result. */
  public record Feature(String source, String alias) {}

  public PointInTimeQuery {
    requireNonNull(entityTable, "entityTable is null");
    requireNonNull(row, "row is null");
    requireNonNull(entityTimestamp, "entityTimestamp is null");
    requireNonNull(lowerBound, "lowerBound is null");
    keys = List.copyOf(keys);
    requireNonNull(source, "source is null");
    requireNonNull(sourceTimestamp, "sourceTimestamp is null");
    requireNonNull(sourceCreated, "sourceCreated is null");
    features = List.copyOf(features);
  }

  /** {@code source = e.entity} for every key, with the entity table's alias {@code e}. */
  public List<String> keyConditions(String entityAlias) {
    List<String> conditions = new ArrayList<>();
    for (Key key : keys) {
      conditions.add(key.source() + " = " + entityAlias + "." + key.entity());
    }
    return conditions;
  }

  /**
   * Standard SQL any database runs: every entity row left-joined to its candidate source rows,
   * ranked latest first with {@code ROW_NUMBER()}; rank 1 is the answer (all nulls when nothing
   * matched).
   */
  public String ranked() {
    List<String> columns = new ArrayList<>();
    List<String> outer = new ArrayList<>();
    columns.add("e." + row + " AS " + row);
    outer.add("r." + row);
    for (Feature feature : features) {
      columns.add(feature.source() + " AS " + feature.alias());
      outer.add("r." + feature.alias());
    }
    String order = sourceTimestamp + " DESC NULLS LAST";
    if (sourceCreated.isPresent()) {
      order += ", " + sourceCreated.get() + " DESC NULLS LAST";
    }
    columns.add("ROW_NUMBER() OVER (PARTITION BY e." + row + " ORDER BY " + order + ") AS fd_rank");
    List<String> conditions = keyConditions("e");
    conditions.add(sourceTimestamp + " <= e." + entityTimestamp);
    lowerBound.ifPresent(lower -> conditions.add(sourceTimestamp + " >= e." + lower));
    return "SELECT "
        + String.join(", ", outer)
        + " FROM (SELECT "
        + String.join(", ", columns)
        + " FROM "
        + entityTable
        + " e LEFT JOIN "
        + source
        + " ON "
        + String.join(" AND ", conditions)
        + ") r WHERE r.fd_rank = 1 ORDER BY r."
        + row;
  }
}
