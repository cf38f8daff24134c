package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.protocol.ActionJson;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.Params;
import dev.flightdeck.spi.OfflineStore;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code offline_write_batch}: appends the {@code table} param to a view's source. */
final class WriteBatchHandler implements ActionApiHandler {
  private final OfflineStore store;

  @Inject
  WriteBatchHandler(OfflineStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public Api api() {
    return Api.OFFLINE_WRITE_BATCH;
  }

  @Override
  public Object run(Map<String, VectorSchemaRoot> tables) {
    Params params = Params.of(api(), tables);
    return new ActionJson.Rows(
        store.offlineWriteBatch(
            params.string(Api.Param.FEATURE_VIEW), params.table(Api.Param.TABLE)));
  }
}
