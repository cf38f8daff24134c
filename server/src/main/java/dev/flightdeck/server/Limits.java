package dev.flightdeck.server;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;

/**
 * What one client may hold on the server, sized by default for a 2-core server with 512 MB of heap
 * and as much direct memory. A request past a limit is refused with LIMIT_EXCEEDED
 * (RESOURCE_EXHAUSTED) naming the limit, its value and the {@code serve} flag that raises it.
 *
 * @param commandBytes Arrow memory one command's parameters may hold ({@code --max-command-bytes})
 * @param pendingBytes Arrow memory all pending commands together may hold ({@code
 *     --max-pending-bytes}); a put is refused before direct memory runs out
 * @param pendingBytesPerPrincipal Arrow memory one principal's pending commands may hold ({@code
 *     --max-pending-bytes-per-principal}), so one cannot take the pool from the others
 * @param commandsPerPrincipal pending commands one principal may have ({@code
 *     --max-commands-per-principal})
 * @param putsPerPrincipal do_puts one principal may have in flight at once ({@code
 *     --max-puts-per-principal}); each holds a thread while it reads
 * @param streamsPerPrincipal result streams one principal may have open at once ({@code
 *     --max-streams-per-principal})
 * @param actionBodyBytes bytes of a do_action body ({@code --max-action-bytes})
 * @param messageBytes bytes of one inbound gRPC message, a put's batch say ({@code
 *     --max-message-bytes})
 * @param featureReferences feature references one retrieval may ask for ({@code
 *     --max-feature-references})
 */
public record Limits(
    long commandBytes,
    long pendingBytes,
    long pendingBytesPerPrincipal,
    int commandsPerPrincipal,
    int putsPerPrincipal,
    int streamsPerPrincipal,
    int actionBodyBytes,
    int messageBytes,
    int featureReferences) {
  public static final long MIB = 1L << 20;

  public Limits {
    positive("--max-command-bytes", commandBytes);
    positive("--max-pending-bytes", pendingBytes);
    positive("--max-pending-bytes-per-principal", pendingBytesPerPrincipal);
    positive("--max-commands-per-principal", commandsPerPrincipal);
    positive("--max-puts-per-principal", putsPerPrincipal);
    positive("--max-streams-per-principal", streamsPerPrincipal);
    positive("--max-action-bytes", actionBodyBytes);
    positive("--max-message-bytes", messageBytes);
    positive("--max-feature-references", featureReferences);
    if (commandBytes > pendingBytes) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION,
          "--max-command-bytes "
              + commandBytes
              + " is more than --max-pending-bytes "
              + pendingBytes);
    }
  }

  public static Limits defaults() {
    // Without authentication every client is the one principal "anonymous": its command count
    // must leave room for many clients at once, the byte limits bound the memory.
    return new Limits(
        128 * MIB, 256 * MIB, 128 * MIB, 256, 64, 64, 64 * 1024, (int) (64 * MIB), 10_000);
  }

  public Limits withCommandBytes(long commandBytes) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withPendingBytes(long pendingBytes) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withPendingBytesPerPrincipal(long pendingBytesPerPrincipal) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withCommandsPerPrincipal(int commandsPerPrincipal) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withPutsPerPrincipal(int putsPerPrincipal) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withStreamsPerPrincipal(int streamsPerPrincipal) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withActionBodyBytes(int actionBodyBytes) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withMessageBytes(int messageBytes) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  public Limits withFeatureReferences(int featureReferences) {
    return new Limits(
        commandBytes,
        pendingBytes,
        pendingBytesPerPrincipal,
        commandsPerPrincipal,
        putsPerPrincipal,
        streamsPerPrincipal,
        actionBodyBytes,
        messageBytes,
        featureReferences);
  }

  /** Refuses a retrieval that asks for more feature references than allowed. */
  public void checkFeatureReferences(int requested) {
    if (requested > featureReferences) {
      throw new FlightdeckException(
          ErrorCode.LIMIT_EXCEEDED,
          "the request names "
              + requested
              + " feature references, more than the "
              + featureReferences
              + " allowed (--max-feature-references)");
    }
  }

  /** A byte count as people read it: {@code 128 MiB}, {@code 64 KiB}, {@code 100 bytes}. */
  public static String bytes(long bytes) {
    if (bytes >= MIB && bytes % MIB == 0) {
      return bytes / MIB + " MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + " KiB";
    }
    return bytes + " bytes";
  }

  private static void positive(String flag, long value) {
    if (value < 1) {
      throw new FlightdeckException(
          ErrorCode.INVALID_CONFIGURATION, flag + " must be positive, not " + value);
    }
  }
}
