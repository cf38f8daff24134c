package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.protocol.ActionJson;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.Params;
import dev.flightdeck.spi.OfflineStore;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/** {@code validate_data_source}: answers valid, or fails with the reason. */
final class ValidateDataSourceHandler implements ActionApiHandler {
  private final OfflineStore store;

  @Inject
  ValidateDataSourceHandler(OfflineStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  @Override
  public Api api() {
    return Api.VALIDATE_DATA_SOURCE;
  }

  @Override
  public Object run(Map<String, VectorSchemaRoot> tables) {
    String source = Params.of(api(), tables).string(Api.Param.DATA_SOURCE_NAME);
    store.validateDataSource(source);
    return new ActionJson.Validation(source, true);
  }
}
