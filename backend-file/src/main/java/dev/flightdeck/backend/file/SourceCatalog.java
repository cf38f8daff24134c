package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.retrieval.JoinKeys;
import dev.flightdeck.tables.ParquetFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

/**
 * Every feature view's source checked once, when the store is created, so that a wrong repository
 * fails at start: paths resolved and confined, each file's footer checked against the view. Keeps
 * the kind of each view's join keys, which a request's entity table must match.
 */
public final class SourceCatalog {
  private final Map<String, List<JoinKeys.Kind>> joinKeyKinds;

  private SourceCatalog(Map<String, List<JoinKeys.Kind>> joinKeyKinds) {
    this.joinKeyKinds = Map.copyOf(joinKeyKinds);
  }

  public static SourceCatalog check(FeatureRepository repository, SourcePaths paths) {
    Map<String, List<JoinKeys.Kind>> kinds = new HashMap<>();
    for (FeatureView view : repository.featureViews()) {
      kinds.put(
          view.name(), checkView(repository, paths, view, repository.dataSource(view.source())));
    }
    return new SourceCatalog(kinds);
  }

  /**
   * Checks every file of the view's source against the view; returns the kinds of its join keys.
   */
  static List<JoinKeys.Kind> checkView(
      FeatureRepository repository, SourcePaths paths, FeatureView view, DataSource source) {
    List<String> joinKeys = repository.joinKeys(view);
    List<JoinKeys.Kind> viewKinds = null;
    String firstFile = null;
    for (Path file : paths.resolve(source)) {
      String fileName = paths.displayName(file);
      SourceSchema schema =
          SourceSchema.check(view, source, joinKeys, footerSchema(file, fileName), fileName);
      List<JoinKeys.Kind> fileKinds = schema.joinKeyKinds();
      if (viewKinds == null) {
        viewKinds = fileKinds;
        firstFile = fileName;
      } else if (!viewKinds.equals(fileKinds)) {
        throw new FlightdeckException(
            ErrorCode.INVALID_REPOSITORY,
            "feature view '"
                + view.name()
                + "': join keys "
                + joinKeys
                + " are "
                + fileKinds
                + " in "
                + fileName
                + " but "
                + viewKinds
                + " in "
                + firstFile);
      }
    }
    return viewKinds;
  }

  /**
   * The kinds (integer or string) of the view's join keys, in the order of {@code
   * repository.joinKeys(view)}.
   */
  public List<JoinKeys.Kind> joinKeyKinds(String viewName) {
    List<JoinKeys.Kind> kinds = joinKeyKinds.get(viewName);
    if (kinds == null) {
      throw new IllegalArgumentException("feature view '" + viewName + "' is not in the catalog");
    }
    return kinds;
  }

  private static MessageType footerSchema(Path file, String fileName) {
    try (ParquetFileReader reader = ParquetFiles.open(file)) {
      return reader.getFooter().getFileMetaData().getSchema();
    } catch (IOException | RuntimeException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "cannot read the Parquet footer of " + fileName + ": " + e.getMessage(),
          e);
    }
  }
}
