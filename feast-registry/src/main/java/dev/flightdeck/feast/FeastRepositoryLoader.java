package dev.flightdeck.feast;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.feast.proto.core.RegistryProto.Registry;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureStoreFile;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.repository.UnservedDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a Feast repository folder as it is: Feast's {@code feature_store.yaml} ({@link
 * FeastConfig}) and the file registry it names, a protobuf {@code feast.core.Registry} that {@code
 * feast apply} wrote. It reads every {@code feature_store.yaml} that names a {@code registry}.
 * Fields of the registry this subset of Feast's format does not know are skipped, so registries of
 * newer Feast versions load too.
 */
public final class FeastRepositoryLoader implements RepositoryLoader {
  private static final Logger log = LoggerFactory.getLogger(FeastRepositoryLoader.class);

  @Override
  public String format() {
    return "Feast repository (feature_store.yaml naming a file registry)";
  }

  @Override
  public boolean reads(FeatureStoreFile file) {
    return file.root().has(FeatureStoreFile.FEAST_REGISTRY_KEY);
  }

  @Override
  public FeatureRepository load(FeatureStoreFile file) {
    FeastConfig config;
    try {
      config = FeastConfig.from(file);
    } catch (FlightdeckException e) {
      throw new FlightdeckException(e.code(), file.file() + ": " + e.getMessage(), e);
    }
    Registry registry = readRegistry(config.registry());
    FeatureRepository repository;
    try {
      repository = RegistryConverter.convert(registry, config, file.repositoryDir());
    } catch (FlightdeckException e) {
      throw new FlightdeckException(
          e.code(), "Feast registry " + config.registry() + ": " + e.getMessage(), e);
    }
    report(file, config, repository);
    return repository;
  }

  /** Reads and parses a registry file; unknown fields are kept aside, never an error. */
  public static Registry readRegistry(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "Feast registry "
              + file
              + " does not exist (feature_store.yaml names it under registry); run feast apply"
              + " in the repository to write it");
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "Feast registry " + file + " cannot be read: " + e.getMessage(),
          e);
    }
    try {
      return Registry.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_REPOSITORY,
          "Feast registry "
              + file
              + " is not a Feast file registry (a protobuf feast.core.Registry): "
              + e.getMessage(),
          e);
    }
  }

  private static void report(
      FeatureStoreFile file, FeastConfig config, FeatureRepository repository) {
    log.info(
        "Feast repository {}: project {}, registry {}: {} feature views, {} feature services",
        file.repositoryDir(),
        repository.project(),
        config.registry(),
        repository.featureViews().size(),
        repository.featureServices().size());
    if (!config.ignoredKeys().isEmpty()) {
      log.info(
          "{}: ignoring keys only Feast's online side or tooling uses: {}",
          file.file().getFileName(),
          String.join(", ", config.ignoredKeys()));
    }
    config.warnings().forEach(log::warn);
    if (!repository.unserved().isEmpty()) {
      log.info(
          "Listed but not served (refused when requested): {}",
          repository.unserved().stream()
              .map(FeastRepositoryLoader::oneLine)
              .collect(Collectors.joining("; ")));
    }
  }

  private static String oneLine(UnservedDefinition definition) {
    return definition.kind().label() + " '" + definition.name() + "' " + definition.reason();
  }
}
