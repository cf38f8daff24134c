package dev.flightdeck.it;

import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.types.pojo.Schema;

/** A store that counts what the server asks of the real store beneath it, to observe laziness. */
final class CountingOfflineStore implements OfflineStore {
  final AtomicInteger jobsCreated = new AtomicInteger();
  final AtomicInteger schemasAsked = new AtomicInteger();
  final AtomicInteger jobsRun = new AtomicInteger();
  private final OfflineStore delegate;

  CountingOfflineStore(OfflineStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request) {
    jobsCreated.incrementAndGet();
    RetrievalJob job = delegate.getHistoricalFeatures(request);
    return new RetrievalJob() {
      @Override
      public Schema schema() {
        schemasAsked.incrementAndGet();
        return job.schema();
      }

      @Override
      public RecordBatchStream stream() {
        jobsRun.incrementAndGet();
        return job.stream();
      }

      // TODO(issue 3): temporary until persist lands.
      @Override
      public long persist(String destination, boolean allowOverwrite) {
        throw new UnsupportedOperationException("persist");
      }

      @Override
      public void close() {
        job.close();
      }
    };
  }

  // TODO(issue 3): temporary until the API lands in this module.
  @Override
  public dev.flightdeck.spi.RetrievalJob pullLatestFromTableOrQuery(
      dev.flightdeck.spi.PullRequest request) {
    throw new UnsupportedOperationException("pull_latest_from_table_or_query");
  }

  @Override
  public dev.flightdeck.spi.RetrievalJob pullAllFromTableOrQuery(
      dev.flightdeck.spi.PullRequest request) {
    throw new UnsupportedOperationException("pull_all_from_table_or_query");
  }

  @Override
  public long offlineWriteBatch(
      String featureView, org.apache.arrow.vector.VectorSchemaRoot table) {
    throw new UnsupportedOperationException("offline_write_batch");
  }

  @Override
  public long writeLoggedFeatures(
      String featureService, org.apache.arrow.vector.VectorSchemaRoot logs) {
    throw new UnsupportedOperationException("write_logged_features");
  }

  @Override
  public void validateDataSource(String dataSource) {
    throw new UnsupportedOperationException("validate_data_source");
  }

  @Override
  public java.util.List<dev.flightdeck.spi.SourceColumn> getTableColumnNamesAndTypes(
      String dataSource) {
    throw new UnsupportedOperationException("get_table_column_names_and_types");
  }

  @Override
  public void close() {
    delegate.close();
  }
}
