package dev.flightdeck.spi;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.OfflineStoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The backends a process knows, by name. {@link #discover} is the one place that uses {@link
 * ServiceLoader}; {@link #of} registers backends explicitly, for embedders and tests.
 */
public final class OfflineStoreRegistry {
  private final Map<String, OfflineStoreFactory> factories;

  private OfflineStoreRegistry(List<OfflineStoreFactory> factories) {
    Map<String, OfflineStoreFactory> byName = new TreeMap<>();
    for (OfflineStoreFactory factory : factories) {
      OfflineStoreFactory previous = byName.put(factory.getName(), factory);
      if (previous != null) {
        throw new FlightdeckException(
            ErrorCode.INVALID_CONFIGURATION,
            "two backends are named '"
                + factory.getName()
                + "': "
                + previous.getClass().getName()
                + " and "
                + factory.getClass().getName());
      }
    }
    this.factories = Collections.unmodifiableMap(byName);
  }

  /** The backends on the class path, each declared in {@code META-INF/services}. */
  public static OfflineStoreRegistry discover(ClassLoader classLoader) {
    List<OfflineStoreFactory> found = new ArrayList<>();
    ServiceLoader.load(OfflineStoreFactory.class, classLoader).forEach(found::add);
    if (found.isEmpty()) {
      throw new FlightdeckException(
          ErrorCode.UNKNOWN_BACKEND,
          "no offline store backend on the class path: add a backend module such as flightdeck-backend-file");
    }
    return new OfflineStoreRegistry(found);
  }

  public static OfflineStoreRegistry discover() {
    return discover(Thread.currentThread().getContextClassLoader());
  }

  public static OfflineStoreRegistry of(OfflineStoreFactory... factories) {
    return new OfflineStoreRegistry(List.of(factories));
  }

  /**
   * This registry plus one more backend, for embedders that add their own to the discovered ones.
   */
  public OfflineStoreRegistry with(OfflineStoreFactory factory) {
    List<OfflineStoreFactory> all = new ArrayList<>(factories.values());
    all.add(requireNonNull(factory, "factory is null"));
    return new OfflineStoreRegistry(all);
  }

  public List<String> names() {
    return List.copyOf(factories.keySet());
  }

  public OfflineStoreFactory factory(String name) {
    OfflineStoreFactory factory = factories.get(name);
    if (factory == null) {
      throw new FlightdeckException(
          ErrorCode.UNKNOWN_BACKEND,
          "unknown offline store type '"
              + name
              + "' (known: "
              + String.join(", ", factories.keySet())
              + ")");
    }
    return factory;
  }

  /**
   * Loads the repository in {@code repositoryDir} and creates the store its {@code offline_store}
   * names.
   */
  public OfflineStore open(Path repositoryDir, BufferAllocator allocator) {
    return open(RepositorySource.of(repositoryDir), allocator);
  }

  /**
   * As {@link #open(Path, BufferAllocator)}, with {@code overrides} in place of the same keys of
   * {@code offline_store} (an operator's {@code serve} flag over the repository's file); the
   * backend checks them as it checks its file.
   */
  public OfflineStore open(
      Path repositoryDir, BufferAllocator allocator, Map<String, String> overrides) {
    return open(RepositorySource.of(repositoryDir).withOfflineStoreOverrides(overrides), allocator);
  }

  /**
   * Loads the repository {@code source} names, with the first of its loaders that reads it, and
   * creates the store its {@code offline_store} names.
   */
  public OfflineStore open(RepositorySource source, BufferAllocator allocator) {
    FeatureRepository repository = source.loaders().load(source.directory());
    Map<String, String> overrides = source.offlineStoreOverrides();
    if (!overrides.isEmpty()) {
      Map<String, String> properties = new HashMap<>(repository.offlineStore().properties());
      properties.putAll(overrides);
      repository =
          repository.withOfflineStore(
              new OfflineStoreConfig(repository.offlineStore().type(), properties));
    }
    return create(
        new OfflineStoreContext(repository, source.directory(), source.dataRoots(), allocator));
  }

  public OfflineStore create(OfflineStoreContext context) {
    return factory(context.repository().offlineStore().type()).create(context);
  }
}
