package dev.flightdeck.server.feast;

import static java.util.Objects.requireNonNull;

import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.message.IpcOption;

/**
 * A do_get's listener whose errors reach a Feast client in Feast's form, however late in the stream
 * they happen; everything else passes through.
 */
public final class FeastStreamListener implements ServerStreamListener {
  private final ServerStreamListener listener;

  public FeastStreamListener(ServerStreamListener listener) {
    this.listener = requireNonNull(listener, "listener is null");
  }

  @Override
  public boolean isCancelled() {
    return listener.isCancelled();
  }

  @Override
  public void setOnCancelHandler(Runnable handler) {
    listener.setOnCancelHandler(handler);
  }

  @Override
  public boolean isReady() {
    return listener.isReady();
  }

  @Override
  public void setOnReadyHandler(Runnable handler) {
    listener.setOnReadyHandler(handler);
  }

  @Override
  public void start(VectorSchemaRoot root, DictionaryProvider dictionaries, IpcOption option) {
    listener.start(root, dictionaries, option);
  }

  @Override
  public void putNext() {
    listener.putNext();
  }

  @Override
  public void putNext(ArrowBuf metadata) {
    listener.putNext(metadata);
  }

  @Override
  public void putMetadata(ArrowBuf metadata) {
    listener.putMetadata(metadata);
  }

  @Override
  public void error(Throwable error) {
    listener.error(
        error instanceof FlightRuntimeException flight ? FeastErrors.toFeast(flight) : error);
  }

  @Override
  public void completed() {
    listener.completed();
  }

  @Override
  public void setUseZeroCopy(boolean enabled) {
    listener.setUseZeroCopy(enabled);
  }
}
