package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Folders the backend writes into (persist outputs, feature logs), named relative to the repository
 * and confined to it like source paths: no absolute paths, no {@code ..}, no link that leads
 * outside.
 */
final class RepositoryFolders {
  private RepositoryFolders() {}

  /** The folder, created if missing; {@code what} names the setting in messages. */
  static Path writable(Path repositoryDir, String relative, String what) {
    Path path = Path.of(relative);
    if (path.isAbsolute() || relative.startsWith("/") || relative.startsWith("\\")) {
      throw invalid(what, relative, "is absolute; it must be relative to the repository folder");
    }
    for (Path part : path) {
      if (part.toString().equals("..")) {
        throw invalid(what, relative, "contains '..'; it must stay inside the repository folder");
      }
    }
    try {
      Path root = repositoryDir.toRealPath();
      Path folder = Files.createDirectories(root.resolve(path)).toRealPath();
      if (!folder.startsWith(root)) {
        throw invalid(what, relative, "leads outside the repository folder through a link");
      }
      return folder;
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          what + " '" + relative + "' cannot be created: " + e.getMessage(),
          e);
    }
  }

  private static FlightdeckException invalid(String what, String relative, String problem) {
    return new FlightdeckException(
        ErrorCode.INVALID_CONFIGURATION, what + " '" + relative + "' " + problem);
  }
}
