package dev.flightdeck.backend.file;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per written file, shared by every store in the JVM, so that read-modify-write of a
 * single-file source and check-then-write of a persist destination never interleave.
 */
final class PathLocks {
  private static final ConcurrentMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private PathLocks() {}

  static ReentrantLock of(Path file) {
    return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), path -> new ReentrantLock());
  }
}
