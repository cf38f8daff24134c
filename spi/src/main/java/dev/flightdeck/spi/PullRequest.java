package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Feast's {@code pull_latest_from_table_or_query} and {@code pull_all_from_table_or_query}: rows of
 * one named data source of the repository. Column names are as the repository sees them, after the
 * source's {@code field_mapping}. The result's columns are the join keys, the feature columns, the
 * timestamp field and, when given, the created timestamp column, in that order.
 *
 * @param dataSource a data source name of the repository (never a path, table or query)
 * @param timestampField the timestamp column that {@code range} filters on
 * @param createdTimestampColumn breaks ties between rows of one key and timestamp (pull latest)
 */
public record PullRequest(
    String dataSource,
    List<String> joinKeyColumns,
    List<String> featureNameColumns,
    String timestampField,
    Optional<String> createdTimestampColumn,
    TimeRange range) {
  public PullRequest {
    requireNonNull(dataSource, "dataSource is null");
    joinKeyColumns = List.copyOf(joinKeyColumns);
    featureNameColumns = List.copyOf(featureNameColumns);
    requireNonNull(timestampField, "timestampField is null");
    requireNonNull(createdTimestampColumn, "createdTimestampColumn is null");
    requireNonNull(range, "range is null");
  }

  /** Every column of the result, in order. */
  public List<String> resultColumns() {
    List<String> columns = new ArrayList<>(joinKeyColumns);
    columns.addAll(featureNameColumns);
    columns.add(timestampField);
    createdTimestampColumn.ifPresent(columns::add);
    return columns;
  }
}
