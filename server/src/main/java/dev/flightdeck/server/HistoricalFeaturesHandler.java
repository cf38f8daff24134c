package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.HistoricalFeaturesCodec;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code get_historical_features}: decodes the request and asks the store for its job. */
public final class HistoricalFeaturesHandler implements ApiHandler {
  private final OfflineStore store;
  private final Limits limits;

  @Inject
  public HistoricalFeaturesHandler(OfflineStore store, ServerConfig config) {
    this.store = requireNonNull(store, "store is null");
    this.limits = requireNonNull(config, "config is null").limits();
  }

  @Override
  public Api api() {
    return Api.GET_HISTORICAL_FEATURES;
  }

  @Override
  public RetrievalJob open(Map<String, VectorSchemaRoot> params) {
    HistoricalFeaturesRequest request = HistoricalFeaturesCodec.decode(params);
    if (request.features() instanceof FeatureSelection.References references) {
      limits.checkFeatureReferences(references.references().size());
    }
    return store.getHistoricalFeatures(request);
  }

  /** Every entity row comes back once, in the order sent; a time range's rows are the store's. */
  @Override
  public boolean ordered(Map<String, VectorSchemaRoot> params) {
    return params.containsKey(Api.Param.ENTITY_DF);
  }
}
