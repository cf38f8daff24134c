package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.protocol.ActionJson;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.Params;
import dev.flightdeck.spi.OfflineStore;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code write_logged_features}: appends the {@code data} param to a service's log destination. */
final class LoggedFeaturesHandler implements ActionApiHandler {
  private final OfflineStore store;

  @Inject
  LoggedFeaturesHandler(OfflineStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public Api api() {
    return Api.WRITE_LOGGED_FEATURES;
  }

  @Override
  public Object run(Map<String, VectorSchemaRoot> tables) {
    Params params = Params.of(api(), tables);
    return new ActionJson.Rows(
        store.writeLoggedFeatures(
            params.string(Api.Param.FEATURE_SERVICE), params.table(Api.Param.DATA)));
  }
}
