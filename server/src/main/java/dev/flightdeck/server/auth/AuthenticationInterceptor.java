package dev.flightdeck.server.auth;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.FlightErrors;
import dev.flightdeck.server.audit.CallAudit;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.arrow.flight.grpc.StatusUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call from its headers and TLS session before the call reaches the producer,
 * so a call without a good credential reads and stores nothing. The one exception is {@code
 * DoAction}: its outcome is passed on and {@link Authorization} refuses every action except {@code
 * health}, which a load balancer must reach without a credential.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthenticationInterceptor.class);
  private static final Context.Key<Outcome> OUTCOME = Context.key("flightdeck-authentication");

  private final Authenticators authenticators;

  public AuthenticationInterceptor(Authenticators authenticators) {
    this.authenticators = requireNonNull(authenticators, "authenticators is null");
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Outcome outcome;
    try {
      outcome =
          new Outcome(
              Optional.of(authenticators.authenticate(credentials(call, headers))),
              Optional.empty());
    } catch (FlightdeckException e) {
      outcome = new Outcome(Optional.empty(), Optional.of(e));
    } catch (RuntimeException e) {
      // A plug-in authenticator's bug: refuse the call, keep the detail in the log.
      log.error(
          "authenticator failed on a call from {}",
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
          e);
      outcome =
          new Outcome(
              Optional.empty(),
              Optional.of(
                  new FlightdeckException(
                      ErrorCode.UNAUTHENTICATED, "the server could not check the credential")));
    }
    outcome
        .principal()
        .ifPresent(
            principal -> CallAudit.current().ifPresent(audit -> audit.principal(principal.name())));
    if (outcome.failure().isPresent()
        && !call.getMethodDescriptor().getFullMethodName().endsWith("/DoAction")) {
      // A FlightRuntimeException with metadata always becomes a StatusRuntimeException.
      StatusRuntimeException refusal =
          (StatusRuntimeException)
              StatusUtils.toGrpcException(FlightErrors.toFlight(outcome.failure().get()));
      Metadata trailers = refusal.getTrailers() != null ? refusal.getTrailers() : new Metadata();
      call.close(refusal.getStatus(), trailers);
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(OUTCOME, outcome), call, headers, next);
  }

  /** The current call's authentication, when it passed through this interceptor. */
  static Optional<Outcome> current() {
    return Optional.ofNullable(OUTCOME.get());
  }

  private static Credentials credentials(ServerCall<?, ?> call, Metadata headers) {
    Map<String, String> values = new HashMap<>();
    for (String name : headers.keys()) {
      if (!name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        String value = headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        if (value != null) {
          values.put(name, value);
        }
      }
    }
    return new Credentials(
        values, peerCertificates(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION)));
  }

  private static List<X509Certificate> peerCertificates(SSLSession session) {
    List<X509Certificate> chain = new ArrayList<>();
    if (session == null) {
      return chain;
    }
    try {
      for (Certificate certificate : session.getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      // TLS without a client certificate.
    }
    return chain;
  }

  /** A call's principal, or why it has none. */
  record Outcome(Optional<Principal> principal, Optional<FlightdeckException> failure) {}
}
