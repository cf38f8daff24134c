package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.Api;
import dev.flightdeck.protocol.CommandHeader;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The parameters received for one command, in memory of its own child allocator. All state changes
 * hold this object's lock, so puts, the do_get that takes it and the expiry sweep never race. The
 * allocator closes only once no put is still reading into it.
 */
public final class PendingCommand implements AutoCloseable {
  private final String id;
  private final Api api;
  private final String owner;
  private final BufferAllocator allocator;
  private final Map<String, VectorSchemaRoot> params = new LinkedHashMap<>();
  private final Set<String> receiving = new HashSet<>();
  private final Instant created;
  private Instant lastActivity;
  private boolean closed;

  PendingCommand(
      String id, Api api, String owner, BufferAllocator parent, long maxBytes, Instant now) {
    this.id = requireNonNull(id, "id is null");
    this.api = requireNonNull(api, "api is null");
    this.owner = requireNonNull(owner, "owner is null");
    this.allocator =
        parent.newChildAllocator("command-" + id, 0, Math.min(maxBytes, parent.getLimit()));
    this.lastActivity = requireNonNull(now, "now is null");
    this.created = now;
  }

  public String id() {
    return id;
  }

  public Api api() {
    return api;
  }

  /** The principal whose put made the command; no one else may see or use it. */
  public String owner() {
    return owner;
  }

  /**
   * Where a put reads its parameter into; valid between {@link #reserve} and {@link #accept}/{@link
   * #abort}.
   */
  BufferAllocator allocator() {
    return allocator;
  }

  /** Claims {@code header.param()} for a put about to be read; refuses a parameter already sent. */
  synchronized void reserve(CommandHeader header, Instant now) {
    checkOpen();
    if (header.api() != api) {
      throw new FlightdeckException(
          ErrorCode.MALFORMED_COMMAND,
          "command "
              + id
              + " calls api '"
              + api.wireName()
              + "', but param '"
              + header.param()
              + "' was sent for api '"
              + header.api().wireName()
              + "'");
    }
    if (params.containsKey(header.param()) || receiving.contains(header.param())) {
      throw new FlightdeckException(
          ErrorCode.DUPLICATE_PARAMETER,
          "param '"
              + header.param()
              + "' was already sent for command "
              + id
              + "; the first one is kept");
    }
    receiving.add(header.param());
    lastActivity = now;
  }

  /** Keeps a fully read parameter; takes ownership of {@code table} whatever happens. */
  synchronized void accept(String param, VectorSchemaRoot table, Instant now) {
    receiving.remove(param);
    if (closed) {
      table.close();
      closeAllocatorIfIdle();
      throw new FlightdeckException(
          ErrorCode.UNKNOWN_COMMAND,
          "command " + id + " was fetched or expired while param '" + param + "' was being sent");
    }
    params.put(param, table);
    lastActivity = now;
  }

  /** Gives up a reservation whose put failed. */
  synchronized void abort(String param) {
    receiving.remove(param);
    if (closed) {
      closeAllocatorIfIdle();
    }
  }

  synchronized void touch(Instant now) {
    lastActivity = now;
  }

  /**
   * True, and closes this command, if no put is running and either nothing happened since {@code
   * idleCutoff} or it was made before {@code ageCutoff} (activity cannot keep a command forever).
   */
  synchronized boolean expireIfIdleSince(Instant idleCutoff, Instant ageCutoff) {
    if (closed
        || !receiving.isEmpty()
        || (lastActivity.isAfter(idleCutoff) && created.isAfter(ageCutoff))) {
      return false;
    }
    close();
    return true;
  }

  /** True when no parameter was kept and none is being read: the command holds nothing. */
  synchronized boolean isEmpty() {
    return params.isEmpty() && receiving.isEmpty();
  }

  /** The parameters received so far; the tables stay owned by this command. */
  public synchronized Map<String, VectorSchemaRoot> params() {
    checkOpen();
    return Map.copyOf(params);
  }

  synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<VectorSchemaRoot> tables = List.copyOf(params.values());
    params.clear();
    tables.forEach(VectorSchemaRoot::close);
    closeAllocatorIfIdle();
  }

  private void closeAllocatorIfIdle() {
    if (receiving.isEmpty()) {
      allocator.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new FlightdeckException(
          ErrorCode.UNKNOWN_COMMAND, "command " + id + " was already fetched or has expired");
    }
  }
}
