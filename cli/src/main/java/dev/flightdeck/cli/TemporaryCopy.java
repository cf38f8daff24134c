package dev.flightdeck.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of a folder in a temporary directory, deleted on close: the demo serves one so that
 * nothing it opens (H2 rewrites a database file it opens) changes the user's files.
 */
final class TemporaryCopy implements AutoCloseable {
  private final Path root;
  private final Path path;

  private TemporaryCopy(Path root, Path path) {
    this.root = root;
    this.path = path;
  }

  static TemporaryCopy of(Path folder) throws IOException {
    Path root = Files.createTempDirectory("flightdeck-demo-");
    Path copy = root.resolve(folder.getFileName().toString());
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(folder.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException | RuntimeException e) {
      delete(root);
      throw e;
    }
    return new TemporaryCopy(root, copy);
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    delete(root);
  }

  private static void delete(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> deepestFirst = files.sorted(Comparator.reverseOrder()).toList();
      for (Path file : deepestFirst) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the demo's copy in " + root, e);
    }
  }
}
