package dev.flightdeck.bench;

import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RecordBatchStream;
import dev.flightdeck.spi.RetrievalJob;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One get_historical_features of the bench's three features, as a training job makes it: the entity
 * rows go out, the result is streamed batch by batch and summarised, never held whole. The time
 * runs from the call until the last batch is read; the part spent sending the parameters is kept
 * apart.
 */
final class RemoteRetrieval {
  private RemoteRetrieval() {}

  static TimedResult run(OfflineStore store, VectorSchemaRoot entities) {
    ResultSummary summary = new ResultSummary();
    long start = System.nanoTime();
    long sent;
    try (RetrievalJob job =
        store.getHistoricalFeatures(
            HistoricalFeaturesRequest.of(entities, BenchSchema.featureReferences()))) {
      // The job is lazy: its parameters are sent now, the do_get waits for the first read.
      sent = System.nanoTime() - start;
      try (RecordBatchStream stream = job.stream()) {
        while (stream.next()) {
          summary.add(stream.root());
        }
      }
    }
    return new TimedResult(System.nanoTime() - start, sent, summary);
  }
}
