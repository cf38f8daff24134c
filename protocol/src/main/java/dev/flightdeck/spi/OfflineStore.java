package dev.flightdeck.spi;

/**
 * Feast's offline store API. Every backend implements it, and so does the remote client, so user
 * code is the same whether the store runs in-process or behind a Flightdeck server.
 */
public interface OfflineStore extends AutoCloseable {
  /**
   * Point-in-time correct features for each entity row. The job is lazy; the request's entity rows
   * must stay open until the job is closed.
   */
  RetrievalJob getHistoricalFeatures(HistoricalFeaturesRequest request);

  @Override
  void close();
}
