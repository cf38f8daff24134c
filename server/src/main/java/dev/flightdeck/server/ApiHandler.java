package dev.flightdeck.server;

import dev.flightdeck.protocol.Api;
import dev.flightdeck.spi.RetrievalJob;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Runs one API against the offline store, from the parameter tables its command received. */
public interface ApiHandler {
  Api api();

  /**
   * A lazy job for the call. The parameter tables stay owned by the pending command, which outlives
   * the job.
   */
  RetrievalJob open(Map<String, VectorSchemaRoot> params);

  /**
   * Whether the call's rows come in an order the request itself fixes (an entity table's), which
   * the FlightInfo says with {@code ordered}.
   */
  default boolean ordered(Map<String, VectorSchemaRoot> params) {
    return false;
  }
}
