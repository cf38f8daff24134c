package dev.flightdeck.spi;

import dev.flightdeck.repository.FeatureRepository;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Feast's offline store API. Every backend implements it, and so does the remote client, so user
 * code is the same whether the store runs in-process or behind a Flightdeck server. Sources, views
 * and services are always named and resolved in the store's repository.
 */
public interface OfflineStore extends AutoCloseable {
  /**
   * Point-in-time correct features for each entity row, or for every feature row in a time range.
   * The job is lazy; the request's entity rows must stay open until the job is closed.
   */
  RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request);

  /**
   * The latest row per join key with a timestamp in the (bounded) range; a tie on the timestamp
   * goes to the latest created timestamp. Rows come ordered by join keys. Materialisation uses it.
   */
  RetrievalJob pullLatestFromTableOrQuery(PullRequest request);

  /** Every row with a timestamp in the range (either end may be open), ordered by timestamp. */
  RetrievalJob pullAllFromTableOrQuery(PullRequest request);

  /**
   * Appends {@code table} to the source of {@code featureView}, all rows or none; a retrieval after
   * it returns sees them. The table's columns must be the source's, by name and type, in any order.
   *
   * @return the number of rows written
   */
  long offlineWriteBatch(String featureView, VectorSchemaRoot table);

  /**
   * Appends served-feature logs to the logging destination configured for {@code featureService}.
   *
   * @return the number of rows written
   */
  long writeLoggedFeatures(String featureService, VectorSchemaRoot logs);

  /**
   * Checks that the named source exists and is readable with the declared columns; throws if not.
   */
  void validateDataSource(String dataSource);

  /** The named source's columns as the backend stores them, in storage order. */
  List<SourceColumn> getTableColumnNamesAndTypes(String dataSource);

  /**
   * A hint that a get_historical_features of these feature references will follow soon, e.g. while
   * its entity rows are still arriving over the wire: a store may start loading what the retrieval
   * will read. It returns at once and never fails; references it does not know are ignored (the
   * retrieval itself reports them). The default does nothing.
   */
  default void prefetch(List<String> featureReferences) {}

  /**
   * The repository this store serves, when it has one: every backend does; a remote store answers
   * with what the server's {@code describe} tells instead.
   */
  default Optional<FeatureRepository> repository() {
    return Optional.empty();
  }

  @Override
  void close();
}
