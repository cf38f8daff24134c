package dev.flightdeck.server.audit;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per call on the {@code dev.flightdeck.audit} logger when it ends: time (the log's
 * own), principal, peer, method, api, command id, rows and bytes in and out, duration, status and
 * Flightdeck error code. Runs outside authentication, so refused calls are logged too.
 */
public final class AuditInterceptor implements ServerInterceptor {
  public static final String LOGGER = "dev.flightdeck.audit";
  private static final Logger audit = LoggerFactory.getLogger(LOGGER);
  private static final Metadata.Key<String> ERROR_CODE =
      Metadata.Key.of("flightdeck-error-code", Metadata.ASCII_STRING_MARSHALLER);

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    CallAudit record = new CallAudit();
    long started = System.nanoTime();
    String method = call.getMethodDescriptor().getBareMethodName();
    Object peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    AtomicBoolean logged = new AtomicBoolean();
    ServerCall<ReqT, RespT> observed =
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (logged.compareAndSet(false, true)) {
              write(
                  record, peer, method, started, status.getCode().name(), trailers.get(ERROR_CODE));
            }
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<ReqT> listener =
        Contexts.interceptCall(
            Context.current().withValue(CallAudit.KEY, record), observed, headers, next);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        if (logged.compareAndSet(false, true)) {
          write(record, peer, method, started, "CANCELLED", null);
        }
        super.onCancel();
      }
    };
  }

  private static void write(
      CallAudit record, Object peer, String method, long started, String status, String code) {
    if (audit.isInfoEnabled()) {
      audit.info(
          "{} peer={} method={} duration_ms={} status={} code={}",
          record.line(),
          peer,
          method,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
          status,
          code == null ? "-" : code);
    }
  }
}
