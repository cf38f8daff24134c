package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.RepositoryDescription;
import dev.flightdeck.protocol.RepositoryDescription.DataSourceInfo;
import dev.flightdeck.protocol.RepositoryDescription.FeatureInfo;
import dev.flightdeck.protocol.RepositoryDescription.FeatureViewInfo;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.TimeRange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * What {@code pull-latest} and {@code pull-all} read: a feature view (its source, join keys,
 * features and timestamps, as the server describes them), or a data source and explicit columns;
 * and a time range.
 */
final class PullOptions {
  @Option(
      names = "--view",
      paramLabel = "NAME",
      description = "Feature view: pulls its join keys and features from its source.")
  String view;

  @Option(
      names = "--source",
      paramLabel = "NAME",
      description = "Data source name, instead of --view; needs --join-keys and --features.")
  String source;

  @Option(
      names = "--join-keys",
      split = ",",
      paramLabel = "COLUMN",
      description = "With --source: join key columns, comma separated.")
  List<String> joinKeys;

  @Option(
      names = "--features",
      split = ",",
      paramLabel = "COLUMN",
      description = "With --source: feature columns (names after field_mapping), comma separated.")
  List<String> features;

  @Option(
      names = "--timestamp-field",
      paramLabel = "COLUMN",
      description = "The timestamp column the range applies to (default: the source's).")
  String timestampField;

  @Option(
      names = "--created-column",
      paramLabel = "COLUMN",
      description =
          "Created timestamp column that breaks ties between rows of one key and time"
              + " (default: the source's, if any).")
  String createdColumn;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "First timestamp, inclusive (ISO-8601).")
  Instant start;

  @Option(
      names = "--end",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Last timestamp, inclusive (ISO-8601).")
  Instant end;

  PullRequest request(RemoteOfflineStore store) {
    if ((view == null) == (source == null)) {
      throw invalid("give either --view or --source");
    }
    RepositoryDescription repository = store.describe();
    List<String> keys = joinKeys;
    List<String> columns = features;
    String sourceName = source;
    if (view != null) {
      if (joinKeys != null || features != null) {
        throw invalid("--join-keys and --features go with --source; --view brings its own");
      }
      FeatureViewInfo info =
          repository
              .featureView(view)
              .orElseThrow(
                  () ->
                      new FlightdeckException(
                          ErrorCode.UNKNOWN_FEATURE_VIEW, "unknown feature view '" + view + "'"));
      sourceName = info.source();
      keys = info.joinKeys();
      columns = info.features().stream().map(FeatureInfo::name).toList();
    } else if (joinKeys == null || features == null) {
      throw invalid("--source needs --join-keys and --features");
    }
    Optional<DataSourceInfo> described = repository.dataSource(sourceName);
    String timestamp =
        timestampField != null
            ? timestampField
            : described.map(DataSourceInfo::timestampField).orElse(null);
    if (timestamp == null) {
      throw invalid("--timestamp-field is needed for source '" + sourceName + "'");
    }
    Optional<String> created =
        createdColumn != null
            ? Optional.of(createdColumn)
            : described.map(DataSourceInfo::createdTimestampColumn);
    return new PullRequest(
        sourceName,
        keys,
        columns,
        timestamp,
        created,
        new TimeRange(Optional.ofNullable(start), Optional.ofNullable(end)));
  }

  private static FlightdeckException invalid(String message) {
    return new FlightdeckException(ErrorCode.INVALID_PARAMETER, message);
  }
}
