package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What a source's files are now: each file's path, size and modification time. A cached view is
 * valid only for the version it was read at, so added, removed or rewritten files are never served
 * stale.
 */
record SourceVersion(List<FileStamp> files) {
  SourceVersion {
    files = List.copyOf(files);
  }

  record FileStamp(Path path, long size, long modifiedNanos) {}

  static SourceVersion of(SourcePaths paths, DataSource source) {
    List<FileStamp> stamps = new ArrayList<>();
    for (Path file : paths.resolve(source)) {
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        stamps.add(
            new FileStamp(
                file,
                attributes.size(),
                attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
      } catch (IOException e) {
        throw new FlightdeckException(
            ErrorCode.BACKEND_FAILURE,
            "data source '"
                + source.name()
                + "': cannot read "
                + paths.displayName(file)
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return new SourceVersion(stamps);
  }
}
