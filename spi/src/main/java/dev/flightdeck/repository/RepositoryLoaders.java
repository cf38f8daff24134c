package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The repository formats a process reads, tried in order: the first loader that {@link
 * RepositoryLoader#reads reads} a folder's {@code feature_store.yaml} loads it. Formats are added
 * explicitly (the {@code flightdeck} command adds Feast's), so an embedder decides what it accepts.
 */
public final class RepositoryLoaders {
  private static final RepositoryLoaders STANDARD =
      new RepositoryLoaders(List.of(new YamlRepositoryLoader()));

  private final List<RepositoryLoader> loaders;

  private RepositoryLoaders(List<RepositoryLoader> loaders) {
    this.loaders = List.copyOf(loaders);
  }

  /** Flightdeck's own format only. */
  public static RepositoryLoaders standard() {
    return STANDARD;
  }

  /** These loaders plus {@code loader}, which is tried first. */
  public RepositoryLoaders with(RepositoryLoader loader) {
    List<RepositoryLoader> all = new ArrayList<>();
    all.add(requireNonNull(loader, "loader is null"));
    all.addAll(loaders);
    return new RepositoryLoaders(all);
  }

  public List<RepositoryLoader> loaders() {
    return loaders;
  }

  public FeatureRepository load(Path repositoryDir) {
    FeatureStoreFile file = FeatureStoreFile.read(repositoryDir);
    for (RepositoryLoader loader : loaders) {
      if (loader.reads(file)) {
        return loader.load(file);
      }
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_REPOSITORY,
        file.file()
            + (file.root().has(FeatureStoreFile.FEAST_REGISTRY_KEY)
                ? " names a Feast registry, and this process reads no Feast repositories"
                : " is in no format this process reads")
            + " (formats: "
            + loaders.stream().map(RepositoryLoader::format).collect(Collectors.joining(", "))
            + ")");
  }
}
