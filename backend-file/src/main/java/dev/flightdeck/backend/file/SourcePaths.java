package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves a data source's {@code path} to its Parquet files, confined to the repository folder:
 * links are followed and nothing may lead outside it.
 */
public final class SourcePaths {
  private SourcePaths() {}

  /**
   * The source's files: the file itself, or a folder's visible {@code .parquet} files sorted by
   * name.
   */
  public static List<Path> resolve(Path repositoryDir, DataSource source) {
    String path = source.path();
    Path relative = Path.of(path);
    if (relative.isAbsolute() || path.startsWith("/") || path.startsWith("\\")) {
      throw invalid(source, "is absolute; paths must be relative to the repository folder");
    }
    for (Path part : relative) {
      if (part.toString().equals("..")) {
        throw invalid(source, "contains '..'; paths must stay inside the repository folder");
      }
    }
    Path root;
    try {
      root = repositoryDir.toRealPath();
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "repository folder " + repositoryDir + " cannot be read",
          e);
    }
    Path target = root.resolve(relative);
    if (!Files.exists(target)) {
      throw invalid(source, "does not exist");
    }
    Path real = confined(root, target, source);
    if (!Files.isDirectory(real)) {
      return List.of(real);
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(real)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".") || name.startsWith("_") || !name.endsWith(".parquet")) {
          continue;
        }
        Path file = confined(root, entry, source);
        if (Files.isRegularFile(file)) {
          files.add(file);
        }
      }
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "data source '" + source.name() + "': folder '" + path + "' cannot be listed",
          e);
    }
    if (files.isEmpty()) {
      throw invalid(source, "is a folder with no .parquet files");
    }
    return List.copyOf(files);
  }

  /** How messages name a resolved file: relative to the repository folder when inside it. */
  public static String displayName(Path repositoryDir, Path file) {
    try {
      Path root = repositoryDir.toRealPath();
      return file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    } catch (IOException e) {
      return file.toString();
    }
  }

  private static Path confined(Path root, Path candidate, DataSource source) {
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "data source '"
              + source.name()
              + "': path '"
              + source.path()
              + "' cannot be resolved ("
              + candidate.getFileName()
              + ")",
          e);
    }
    if (!real.startsWith(root)) {
      throw invalid(
          source,
          "leads outside the repository folder through a link ("
              + candidate.getFileName()
              + " -> "
              + real
              + ")");
    }
    return real;
  }

  private static FlightdeckException invalid(DataSource source, String problem) {
    return new FlightdeckException(
        ErrorCode.INVALID_REPOSITORY,
        "data source '" + source.name() + "': path '" + source.path() + "' " + problem);
  }
}
