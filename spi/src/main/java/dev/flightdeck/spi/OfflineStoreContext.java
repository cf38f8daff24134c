package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.repository.FeatureRepository;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a backend is given: the repository, the folder it was loaded from (relative source paths are
 * resolved inside it), the other folders an operator lets file sources read ({@code serve
 * --data-root}), and an allocator the store takes a child of and must not close.
 */
public record OfflineStoreContext(
    FeatureRepository repository,
    Path repositoryDir,
    List<Path> dataRoots,
    BufferAllocator allocator) {
  public OfflineStoreContext {
    requireNonNull(repository, "repository is null");
    requireNonNull(repositoryDir, "repositoryDir is null");
    dataRoots = List.copyOf(dataRoots);
    requireNonNull(allocator, "allocator is null");
  }

  /** A context whose file sources stay inside {@code repositoryDir}. */
  public OfflineStoreContext(
      FeatureRepository repository, Path repositoryDir, BufferAllocator allocator) {
    this(repository, repositoryDir, List.of(), allocator);
  }

  /** The backend's own keys from {@code offline_store}, without {@code type}. */
  public Map<String, String> config() {
    return repository.offlineStore().properties();
  }
}
