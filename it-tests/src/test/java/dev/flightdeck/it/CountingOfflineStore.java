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

      @Override
      public void close() {
        job.close();
      }
    };
  }

  @Override
  public void close() {
    delegate.close();
  }
}
