package dev.flightdeck.repository;

import java.nio.file.Path;

/**
 * Reads a repository folder of one format into a {@link FeatureRepository}. Every format starts
 * from the folder's {@code feature_store.yaml}; {@link RepositoryLoaders} picks the loader by what
 * that file says, so backends and the server never know where a repository came from.
 *
 * <p>{@link YamlRepositoryLoader} reads Flightdeck's own file, which declares everything; the Feast
 * loader (module {@code feast-registry}) reads Feast's file and the registry it names.
 */
public interface RepositoryLoader {
  String FILE_NAME = "feature_store.yaml";

  /** The format, for messages: "Feast repository". */
  String format();

  /** Whether this loader reads the repository whose {@code feature_store.yaml} this is. */
  boolean reads(FeatureStoreFile file);

  /** The repository; errors name the file and the offending entry. */
  FeatureRepository load(FeatureStoreFile file);

  /** Loads a repository in Flightdeck's own format (the only one the spi knows). */
  static FeatureRepository load(Path repositoryDir) {
    return RepositoryLoaders.standard().load(repositoryDir);
  }

  /** Parses the text of a Flightdeck {@code feature_store.yaml}. */
  static FeatureRepository parse(String yaml) {
    return YamlRepositoryLoader.parse(yaml);
  }
}
