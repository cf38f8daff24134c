package dev.flightdeck.server.audit;

import static java.util.Objects.requireNonNull;

import io.grpc.Context;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one call did, filled in as it runs and logged once when it ends by {@link AuditInterceptor}:
 * who, which API and command, rows and bytes in and out. Never a feature value or a credential.
 */
public final class CallAudit {
  static final Context.Key<CallAudit> KEY = Context.key("flightdeck-audit");

  private volatile String principal = "-";
  private volatile String api = "-";
  private volatile String command = "-";
  private final AtomicLong rowsIn = new AtomicLong();
  private final AtomicLong bytesIn = new AtomicLong();
  private final AtomicLong rowsOut = new AtomicLong();
  private final AtomicLong bytesOut = new AtomicLong();

  /** The audit of the call running on this thread, if it came through the audit interceptor. */
  public static Optional<CallAudit> current() {
    return Optional.ofNullable(KEY.get());
  }

  public void principal(String principal) {
    this.principal = requireNonNull(principal, "principal is null");
  }

  public void api(String api) {
    this.api = requireNonNull(api, "api is null");
  }

  public void command(String command) {
    this.command = requireNonNull(command, "command is null");
  }

  public void received(long rows, long bytes) {
    rowsIn.addAndGet(rows);
    bytesIn.addAndGet(bytes);
  }

  public void sent(long rows, long bytes) {
    rowsOut.addAndGet(rows);
    bytesOut.addAndGet(bytes);
  }

  String principal() {
    return principal;
  }

  String line() {
    return "principal="
        + quoted(principal)
        + " api="
        + quoted(api)
        + " command="
        + command
        + " rows_in="
        + rowsIn.get()
        + " bytes_in="
        + bytesIn.get()
        + " rows_out="
        + rowsOut.get()
        + " bytes_out="
        + bytesOut.get();
  }

  /** Names come from clients: quote them so a space or newline cannot forge a field or a line. */
  private static String quoted(String value) {
    String cut = value.length() > 200 ? value.substring(0, 200) + "…" : value;
    return cut.chars().allMatch(c -> c > ' ' && c < 127 && c != '"' && c != '\\')
        ? cut
        : '"'
            + cut.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            + '"';
  }
}
