package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A repository folder's {@code feature_store.yaml}, read and parsed once, so that each {@link
 * RepositoryLoader} can tell from its content whether the repository is of its format.
 *
 * @param repositoryDir the folder; relative paths in the repository are relative to it
 * @param file the {@code feature_store.yaml} inside it, for messages
 * @param root the parsed YAML: a mapping
 */
public record FeatureStoreFile(Path repositoryDir, Path file, JsonNode root) {
  /** The key that makes a file Feast's: where its registry is. Feast requires it. */
  public static final String FEAST_REGISTRY_KEY = "registry";

  public FeatureStoreFile {
    requireNonNull(repositoryDir, "repositoryDir is null");
    requireNonNull(file, "file is null");
    requireNonNull(root, "root is null");
  }

  public static FeatureStoreFile read(Path repositoryDir) {
    Path file = repositoryDir.resolve(RepositoryLoader.FILE_NAME);
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "no " + RepositoryLoader.FILE_NAME + " in repository folder " + repositoryDir);
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY, "cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return new FeatureStoreFile(repositoryDir, file, parseYaml(text));
    } catch (FlightdeckException e) {
      throw new FlightdeckException(e.code(), file + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML text that must hold a mapping. */
  public static JsonNode parseYaml(String yaml) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JacksonException e) {
      throw Names.invalid("not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw Names.invalid("expected a mapping of keys such as project and offline_store");
    }
    return root;
  }
}
