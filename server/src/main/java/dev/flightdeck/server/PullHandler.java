package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.PullCodec;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.RetrievalJob;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code pull_latest_from_table_or_query} or {@code pull_all_from_table_or_query}. */
final class PullHandler implements ApiHandler {
  private final OfflineStore store;
  private final Api api;

  PullHandler(OfflineStore store, Api api) {
    this.store = requireNonNull(store, "store is null");
    this.api = requireNonNull(api, "api is null");
  }

  @Override
  public Api api() {
    return api;
  }

  @Override
  public RetrievalJob open(Map<String, VectorSchemaRoot> params) {
    return api == Api.PULL_LATEST_FROM_TABLE_OR_QUERY
        ? store.pullLatestFromTableOrQuery(PullCodec.decode(api, params))
        : store.pullAllFromTableOrQuery(PullCodec.decode(api, params));
  }
}
