package dev.flightdeck.backend.file;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.spi.OfflineStoreContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Resolves a data source's {@code path} to its Parquet files, confined to the folders file sources
 * may read: the repository folder and the data roots an operator named ({@code serve --data-root}).
 * A relative path is resolved in the repository folder and may not contain {@code ..}; an absolute
 * path (as Feast allows) must lie in one of the folders. Links are followed and nothing may lead
 * outside them.
 */
public final class SourcePaths {
  /** The flag that names extra data roots, for messages. */
  public static final String DATA_ROOT_FLAG = "--data-root";

  private final Path repositoryDir;
  private final List<Path> dataRoots;

  public SourcePaths(Path repositoryDir, List<Path> dataRoots) {
    this.repositoryDir = requireNonNull(repositoryDir, "repositoryDir is null");
    this.dataRoots = List.copyOf(dataRoots);
  }

  public static SourcePaths of(OfflineStoreContext context) {
    return new SourcePaths(context.repositoryDir(), context.dataRoots());
  }

  /** The repository folder: relative paths are resolved in it. */
  public Path repositoryDir() {
    return repositoryDir;
  }

  /** Resolves {@code source} inside {@code repositoryDir} alone. */
  public static List<Path> resolve(Path repositoryDir, DataSource source) {
    return new SourcePaths(repositoryDir, List.of()).resolve(source);
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

  /** How messages name a resolved file: relative to the repository folder when inside it. */
  public String displayName(Path file) {
    return displayName(repositoryDir, file);
  }

  /**
   * The source's files: the file itself, or a folder's visible {@code .parquet} files sorted by
   * name.
   */
  public List<Path> resolve(DataSource source) {
    String path = source.path();
    Path given = Path.of(path);
    boolean absolute = given.isAbsolute() || path.startsWith("/") || path.startsWith("\\");
    if (!absolute) {
      for (Path part : given) {
        if (part.toString().equals("..")) {
          throw invalid(
              source,
              "contains '..'; give a path inside the repository folder, or an absolute path inside"
                  + " a folder named with "
                  + DATA_ROOT_FLAG);
        }
      }
    }
    Path repositoryRoot = real(repositoryDir, "repository folder " + repositoryDir);
    List<Path> roots = new ArrayList<>();
    roots.add(repositoryRoot);
    for (Path root : dataRoots) {
      roots.add(real(root, "data root " + root + " (" + DATA_ROOT_FLAG + ")"));
    }
    Path target = absolute ? given.toAbsolutePath().normalize() : repositoryRoot.resolve(given);
    if (absolute && roots.stream().noneMatch(target::startsWith)) {
      throw outside(source, roots);
    }
    if (!Files.exists(target)) {
      throw invalid(source, "does not exist");
    }
    Path real = confined(roots, target, source);
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
        Path file = confined(roots, entry, source);
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

  private static Path real(Path folder, String what) {
    try {
      return folder.toRealPath();
    } catch (IOException e) {
      throw new FlightdeckException(ErrorCode.INVALID_REPOSITORY, what + " cannot be read", e);
    }
  }

  private static Path confined(List<Path> roots, Path candidate, DataSource source) {
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
    if (roots.stream().noneMatch(real::startsWith)) {
      throw invalid(
          source,
          "leads outside the repository folder"
              + (roots.size() > 1 ? " and the data roots" : "")
              + " through a link ("
              + candidate.getFileName()
              + " -> "
              + real
              + ")");
    }
    return real;
  }

  private static FlightdeckException outside(DataSource source, List<Path> roots) {
    return invalid(
        source,
        "is outside the repository folder"
            + (roots.size() > 1
                ? " and every data root ("
                    + roots.subList(1, roots.size()).stream()
                        .map(Path::toString)
                        .collect(Collectors.joining(", "))
                    + ")"
                : "")
            + "; name a folder that holds it with serve "
            + DATA_ROOT_FLAG);
  }

  private static FlightdeckException invalid(DataSource source, String problem) {
    return new FlightdeckException(
        ErrorCode.INVALID_REPOSITORY,
        "data source '" + source.name() + "': path '" + source.path() + "' " + problem);
  }
}
