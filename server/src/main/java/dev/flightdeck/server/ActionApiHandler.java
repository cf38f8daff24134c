package dev.flightdeck.server;

import dev.flightdeck.protocol.Api;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs one API that returns no data, from the parameter tables its command received; its answer
 * travels as the JSON body of the {@code do_action} result.
 */
public interface ActionApiHandler {
  Api api();

  /** Runs the call; returns the object to answer with as JSON. */
  Object run(Map<String, VectorSchemaRoot> params);
}
