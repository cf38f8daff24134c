package dev.flightdeck.it;

import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.vector.VectorSchemaRoot;
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

      @Override
      public long persist(String destination, boolean allowOverwrite) {
        jobsRun.incrementAndGet();
        return job.persist(destination, allowOverwrite);
      }

      @Override
      public void close() {
        job.close();
      }
    };
  }

  @Override
  public RetrievalJob pullLatestFromTableOrQuery(PullRequest request) {
    return delegate.pullLatestFromTableOrQuery(request);
  }

  @Override
  public RetrievalJob pullAllFromTableOrQuery(PullRequest request) {
    return delegate.pullAllFromTableOrQuery(request);
  }

  @Override
  public long offlineWriteBatch(String featureView, VectorSchemaRoot table) {
    return delegate.offlineWriteBatch(featureView, table);
  }

  @Override
  public long writeLoggedFeatures(String featureService, VectorSchemaRoot logs) {
    return delegate.writeLoggedFeatures(featureService, logs);
  }

  @Override
  public void validateDataSource(String dataSource) {
    delegate.validateDataSource(dataSource);
  }

  @Override
  public List<SourceColumn> getTableColumnNamesAndTypes(String dataSource) {
    return delegate.getTableColumnNamesAndTypes(dataSource);
  }

  @Override
  public Optional<FeatureRepository> repository() {
    return delegate.repository();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
