package dev.flightdeck.client;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.spi.RecordBatchStream;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A do_get result as a {@link RecordBatchStream}; server errors surface as {@code
 * FlightdeckException}. Closing it gives back the connection it was read from.
 */
final class FlightRecordBatchStream implements RecordBatchStream {
  private final FlightStream stream;
  private final Connections.Lease connection;

  FlightRecordBatchStream(FlightStream stream, Connections.Lease connection) {
    this.stream = requireNonNull(stream, "stream is null");
    this.connection = requireNonNull(connection, "connection is null");
  }

  @Override
  public Schema schema() {
    return connection.calls().call(stream::getSchema);
  }

  @Override
  public boolean next() {
    return connection.calls().call(stream::next);
  }

  @Override
  public VectorSchemaRoot root() {
    return connection.calls().call(stream::getRoot);
  }

  @Override
  public void close() {
    try (connection) {
      stream.close();
    } catch (FlightRuntimeException e) {
      throw FlightErrors.fromFlight(e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // FlightStream.close declares Exception; what it throws besides Flight errors is a local
      // failure.
      throw new FlightdeckException(
          ErrorCode.INTERNAL_ERROR, "closing the result stream failed: " + e.getMessage(), e);
    }
  }
}
