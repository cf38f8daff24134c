package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.RepositoryLoaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an operator serves: a repository folder, the formats it may be in, the folders besides it
 * that its file sources may read ({@code serve --data-root}), and {@code offline_store} keys set on
 * the command line over the repository's own ({@code serve --cache-size}).
 */
public record RepositorySource(
    Path directory,
    RepositoryLoaders loaders,
    List<Path> dataRoots,
    Map<String, String> offlineStoreOverrides) {
  public RepositorySource {
    requireNonNull(directory, "directory is null");
    requireNonNull(loaders, "loaders is null");
    dataRoots = List.copyOf(dataRoots);
    offlineStoreOverrides = Map.copyOf(offlineStoreOverrides);
  }

  /** A Flightdeck repository in {@code directory}, its sources inside it, no overrides. */
  public static RepositorySource of(Path directory) {
    return new RepositorySource(directory, RepositoryLoaders.standard(), List.of(), Map.of());
  }

  public RepositorySource withLoaders(RepositoryLoaders loaders) {
    return new RepositorySource(directory, loaders, dataRoots, offlineStoreOverrides);
  }

  public RepositorySource withDataRoots(List<Path> dataRoots) {
    return new RepositorySource(directory, loaders, dataRoots, offlineStoreOverrides);
  }

  public RepositorySource withOfflineStoreOverrides(Map<String, String> overrides) {
    return new RepositorySource(directory, loaders, dataRoots, overrides);
  }
}
