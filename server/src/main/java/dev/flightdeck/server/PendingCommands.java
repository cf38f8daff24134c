package dev.flightdeck.server;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.protocol.CommandHeader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands whose parameters have been put but not yet fetched, by command id. A do_get takes its
 * command out atomically; a command never fetched is closed by a sweeper once it has been idle for
 * the pending-command TTL, so abandoned puts cannot hold memory forever.
 */
public final class PendingCommands implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PendingCommands.class);

  /**
   * However often a command is touched (getFlightInfo), it goes after this many TTLs: activity must
   * not keep a command, and its memory, forever.
   */
  static final int MAX_AGE_IN_TTLS = 3;

  private final BufferAllocator allocator;
  private final Clock clock;
  private final Duration ttl;
  private final Duration putIdleTimeout;
  private final Limits limits;
  private final ConcurrentMap<String, PendingCommand> commands = new ConcurrentHashMap<>();

  /**
   * Each principal's share of the pool, so one cannot fill it for all; guarded by itself, which is
   * also held while a command's allocator is made under one, so an empty one is closed safely.
   */
  private final Map<String, BufferAllocator> principalAllocators = new HashMap<>();

  private final ScheduledExecutorService sweeper;

  @Inject
  public PendingCommands(BufferAllocator allocator, ServerConfig config, Clock clock) {
    requireNonNull(allocator, "allocator is null");
    requireNonNull(config, "config is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.ttl = config.pendingCommandTtl();
    this.putIdleTimeout = config.putIdleTimeout();
    this.limits = config.limits();
    this.allocator =
        allocator.newChildAllocator(
            "pending-commands", 0, Math.min(allocator.getLimit(), limits.pendingBytes()));
    this.sweeper =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "flightdeck-pending-sweeper");
              thread.setDaemon(true);
              return thread;
            });
    // Sweep often enough that a command lives at most about 1.1 TTL, but not more than once a
    // second.
    long periodMillis = Math.max(1_000, Math.min(60_000, ttl.toMillis() / 10));
    sweeper.scheduleWithFixedDelay(this::sweep, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Receives one parameter: reserves it on its command (made on first use), lets {@code reader}
   * fill a table allocated from the command's memory, and keeps that table.
   */
  public Received receive(CommandHeader header, String owner, ParamReader reader) {
    PendingCommand command =
        commands.compute(
            header.commandId(),
            (id, existing) -> {
              if (existing != null && !existing.owner().equals(owner)) {
                // Another principal's command: answer as if it did not exist.
                throw unknown(id);
              }
              if (existing == null) {
                checkRoomFor(owner);
              }
              PendingCommand target = existing != null ? existing : newCommand(id, header, owner);
              try {
                target.reserve(header, clock.instant());
              } catch (RuntimeException e) {
                if (existing == null) {
                  target.close();
                }
                throw e;
              }
              return target;
            });
    VectorSchemaRoot table;
    try {
      table = reader.read(command.allocator());
    } catch (OutOfMemoryException e) {
      // Over a limit: drop the whole command now, so the client can retry under a new id.
      long commandRoom = limits.commandBytes() - command.allocator().getAllocatedMemory();
      long pendingRoom = limits.pendingBytes() - allocator.getAllocatedMemory();
      long principalRoom =
          limits.pendingBytesPerPrincipal() - principalAllocator(owner).getAllocatedMemory();
      command.abort(header.param());
      drop(command);
      if (principalRoom < commandRoom && principalRoom <= pendingRoom) {
        throw limitExceeded(
            "param '"
                + header.param()
                + "' of command "
                + header.commandId()
                + " does not fit in what one principal's pending commands may hold ("
                + Limits.bytes(limits.pendingBytesPerPrincipal())
                + ", --max-pending-bytes-per-principal); the command was dropped: fetch or cancel"
                + " your other commands first",
            e);
      }
      throw pendingRoom < commandRoom
          ? limitExceeded(
              "param '"
                  + header.param()
                  + "' of command "
                  + header.commandId()
                  + " does not fit in what all pending commands may hold ("
                  + Limits.bytes(limits.pendingBytes())
                  + ", --max-pending-bytes); the command was dropped: fetch other results first",
              e)
          : limitExceeded(
              "param '"
                  + header.param()
                  + "' of command "
                  + header.commandId()
                  + " needs more than the "
                  + Limits.bytes(limits.commandBytes())
                  + " one command may hold (--max-command-bytes); the command was dropped: send"
                  + " it again under a new id, in smaller requests",
              e);
    } catch (IdleTimeout.Expired e) {
      command.abort(header.param());
      drop(command);
      throw limitExceeded(
          "param '"
              + header.param()
              + "' of command "
              + header.commandId()
              + ": the client sent nothing for "
              + putIdleTimeout
              + " (--put-idle-timeout); the command was dropped",
          e);
    } catch (Throwable e) {
      // Whatever failed (an OutOfMemoryError included), nothing of this param stays reserved. A
      // put that broke off (the client cancelled or died) takes its command with it, as does one
      // that leaves the command holding nothing; a refused param leaves the others as they were.
      command.abort(header.param());
      if (!(e instanceof FlightdeckException) || command.isEmpty()) {
        drop(command);
      }
      throw e;
    }
    Received received =
        new Received(
            table.getRowCount(),
            table.getFieldVectors().stream().mapToLong(vector -> vector.getBufferSize()).sum());
    command.accept(header.param(), table, clock.instant());
    return received;
  }

  /** What one put brought in, for the audit log. */
  public record Received(long rows, long bytes) {}

  /** Removes {@code owner}'s command for its do_get or action; the caller closes it. */
  public PendingCommand take(String commandId, String owner) {
    PendingCommand[] taken = {null};
    commands.computeIfPresent(
        commandId,
        (id, command) -> {
          if (!command.owner().equals(owner)) {
            return command; // not theirs: it stays, and they are told it does not exist
          }
          taken[0] = command;
          return null;
        });
    if (taken[0] == null) {
      throw unknown(commandId);
    }
    return taken[0];
  }

  /**
   * Runs {@code action} on a command's parameters while the command stays pending (for
   * getFlightInfo).
   */
  public <T> T inspect(String commandId, String owner, Function<PendingCommand, T> action) {
    PendingCommand command = commands.get(commandId);
    if (command == null || !command.owner().equals(owner)) {
      throw unknown(commandId);
    }
    synchronized (command) {
      // A sweep or take may have closed it between get and the lock.
      if (command.isClosed()) {
        throw unknown(commandId);
      }
      command.touch(clock.instant());
      return action.apply(command);
    }
  }

  private PendingCommand newCommand(String id, CommandHeader header, String owner) {
    synchronized (principalAllocators) {
      return new PendingCommand(
          id,
          header.api(),
          owner,
          principalAllocator(owner),
          limits.commandBytes(),
          clock.instant());
    }
  }

  private BufferAllocator principalAllocator(String owner) {
    synchronized (principalAllocators) {
      return principalAllocators.computeIfAbsent(
          owner,
          name ->
              allocator.newChildAllocator(
                  "principal-" + name,
                  0,
                  Math.min(allocator.getLimit(), limits.pendingBytesPerPrincipal())));
    }
  }

  /** Closes the share of every principal that holds nothing now. */
  private void closeIdlePrincipals() {
    synchronized (principalAllocators) {
      principalAllocators
          .entrySet()
          .removeIf(
              entry -> {
                BufferAllocator share = entry.getValue();
                if (!share.getChildAllocators().isEmpty() || share.getAllocatedMemory() != 0) {
                  return false;
                }
                share.close();
                return true;
              });
    }
  }

  /** A principal may start a command only while it has fewer than the limit pending. */
  private void checkRoomFor(String owner) {
    long held = commands.values().stream().filter(c -> c.owner().equals(owner)).count();
    if (held >= limits.commandsPerPrincipal()) {
      throw limitExceeded(
          "principal '"
              + owner
              + "' already has "
              + held
              + " pending commands, the most one may have (--max-commands-per-principal "
              + limits.commandsPerPrincipal()
              + "); fetch or cancel some first",
          null);
    }
  }

  private void drop(PendingCommand command) {
    commands.remove(command.id(), command);
    command.close();
  }

  private static FlightdeckException limitExceeded(String message, Throwable cause) {
    return new FlightdeckException(ErrorCode.LIMIT_EXCEEDED, message, cause);
  }

  public int size() {
    return commands.size();
  }

  /** Closes every command idle for longer than the TTL; returns how many. The sweeper calls it. */
  public int expireIdle() {
    Instant cutoff = clock.instant().minus(ttl);
    Instant ageCutoff = clock.instant().minus(ttl.multipliedBy(MAX_AGE_IN_TTLS));
    int expired = 0;
    for (String id : List.copyOf(commands.keySet())) {
      boolean[] removed = {false};
      commands.computeIfPresent(
          id,
          (key, command) -> {
            removed[0] = command.expireIfIdleSince(cutoff, ageCutoff);
            return removed[0] ? null : command;
          });
      if (removed[0]) {
        expired++;
        log.info("Dropped command {}: its result was not fetched within {}", id, ttl);
      }
    }
    return expired;
  }

  private void sweep() {
    try {
      expireIdle();
      closeIdlePrincipals();
    } catch (RuntimeException e) {
      // A failed sweep must not cancel the schedule: log it and try again next period.
      log.error("Sweeping pending commands failed", e);
    }
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    List<PendingCommand> open = new ArrayList<>(commands.values());
    commands.clear();
    open.forEach(PendingCommand::close);
    synchronized (principalAllocators) {
      principalAllocators.values().forEach(BufferAllocator::close);
      principalAllocators.clear();
    }
    allocator.close();
  }

  private static FlightdeckException unknown(String commandId) {
    return new FlightdeckException(
        ErrorCode.UNKNOWN_COMMAND,
        "unknown command "
            + commandId
            + ": this server never received its parameters (with several replicas, a command's"
            + " puts and its do_get must reach the same one), it was already fetched, or it"
            + " expired");
  }

  /** Reads one parameter stream into a table allocated from the given allocator. */
  @FunctionalInterface
  public interface ParamReader {
    VectorSchemaRoot read(BufferAllocator allocator);
  }
}
