package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.HistoricalFeaturesCodec;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code get_historical_features}: decodes the request and asks the store for its job. */
public final class HistoricalFeaturesHandler implements ApiHandler {
  private final OfflineStore store;

  @Inject
  public HistoricalFeaturesHandler(OfflineStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public Api api() {
    return Api.GET_HISTORICAL_FEATURES;
  }

  @Override
  public RetrievalJob open(Map<String, VectorSchemaRoot> params) {
    return store.getHistoricalFeatures(HistoricalFeaturesCodec.decode(params));
  }
}
