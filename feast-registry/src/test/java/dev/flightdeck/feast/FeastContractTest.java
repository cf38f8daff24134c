package dev.flightdeck.feast;

import static org.junit.jupiter.api.Assumptions.abort;

import dev.flightdeck.backend.file.FileOfflineStoreFactory;
import dev.flightdeck.contract.OfflineStoreContractTest;
import dev.flightdeck.feast.proto.core.DataSourceProto;
import dev.flightdeck.feast.proto.core.FeatureProto.FeatureSpecV2;
import dev.flightdeck.feast.proto.core.FeatureReferenceProto.FeatureViewProjection;
import dev.flightdeck.feast.proto.core.RegistryProto.Registry;
import dev.flightdeck.feast.proto.types.ValueProto;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.Entity;
import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.repository.RepositoryLoaders;
import dev.flightdeck.repository.SourceLocation;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.tables.ParquetTableWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole backend contract, with each repository the suite declares rewritten as a Feast
 * repository (Feast's {@code feature_store.yaml} and a file registry written through the proto
 * classes), read back by {@link FeastRepositoryLoader} and served by the file backend: a Feast
 * repository must answer exactly as the same definitions in Flightdeck's own format do. Cases whose
 * repository Feast's format cannot express (an entity with two join keys, a decimal feature) are
 * skipped with the reason.
 */
class FeastContractTest extends OfflineStoreContractTest {
  @TempDir Path repositoryDir;

  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator) {
    sources.forEach((name, table) -> replaceSource(name, table));
    FeastProtos.write(registry(repository), repositoryDir.resolve("data/registry.db"));
    FeastFixture.writeFeatureStoreYaml(
        repositoryDir,
        """
        project: %s
        provider: local
        registry: {path: data/registry.db, registry_type: file, cache_ttl_seconds: 60}
        offline_store: {type: file, output_dir: output}
        online_store: {type: sqlite}
        entity_key_serialization_version: 3
        """
            .formatted(repository.project()));
    FeatureRepository loaded =
        RepositoryLoaders.standard().with(new FeastRepositoryLoader()).load(repositoryDir);
    return new FileOfflineStoreFactory()
        .create(new OfflineStoreContext(loaded, repositoryDir, allocator));
  }

  @Override
  protected void replaceSource(String name, VectorSchemaRoot table) {
    ParquetTableWriter.write(
        table, repositoryDir.resolve("data").resolve(name).resolve("part-0.parquet"));
  }

  /** The Feast registry {@code feast apply} would write for {@code repository}. */
  static Registry registry(FeatureRepository repository) {
    String project = repository.project();
    Registry.Builder registry = Registry.newBuilder().addProjects(FeastProtos.project(project));
    for (Entity entity : repository.entities()) {
      if (entity.joinKeys().size() != 1) {
        abort("a Feast entity has one join key; '" + entity.name() + "' has several");
      }
      registry.addEntities(
          FeastProtos.entity(
              project, entity.name(), entity.joinKeys().get(0), ValueProto.ValueType.Enum.INVALID));
    }
    Map<String, DataSourceProto.DataSource> sources = new LinkedHashMap<>();
    for (DataSource source : repository.dataSources()) {
      if (!(source.location() instanceof SourceLocation.Path path)) {
        abort("Feast file sources have paths; '" + source.name() + "' has none");
        return null;
      }
      DataSourceProto.DataSource proto =
          FeastProtos.fileSource(
              project,
              source.name(),
              path.path(),
              source.timestampField(),
              source.createdTimestampColumn().orElse(""),
              source.fieldMapping());
      sources.put(source.name(), proto);
      registry.addDataSources(proto);
    }
    for (FeatureView view : repository.featureViews()) {
      registry.addFeatureViews(
          FeastProtos.featureView(
              project,
              view.name(),
              view.entities(),
              view.ttl().getSeconds(),
              sources.get(view.source()),
              view.features().stream().map(FeastContractTest::feature).toList()));
    }
    for (FeatureService service : repository.featureServices()) {
      Map<String, List<FeatureSpecV2>> byView = new LinkedHashMap<>();
      for (FeatureReference reference : service.features()) {
        byView
            .computeIfAbsent(reference.view(), view -> new ArrayList<>())
            .add(feature(repository.feature(reference)));
      }
      List<FeatureViewProjection> projections = new ArrayList<>();
      byView.forEach(
          (view, features) ->
              projections.add(
                  FeastProtos.projection(
                      view, service.viewAliases().getOrDefault(view, ""), features)));
      registry.addFeatureServices(
          FeastProtos.featureService(
              project, service.name(), service.loggingDestination().orElse(""), projections));
    }
    return registry.build();
  }

  private static FeatureSpecV2 feature(Feature feature) {
    return FeastProtos.feature(feature.name(), feastType(feature.type()));
  }

  private static ValueProto.ValueType.Enum feastType(ValueType type) {
    if (type.isList()) {
      return ValueProto.ValueType.Enum.valueOf(feastType(type.element()).name() + "_LIST");
    }
    return switch (type.kind()) {
      case INT32 -> ValueProto.ValueType.Enum.INT32;
      case INT64 -> ValueProto.ValueType.Enum.INT64;
      case FLOAT32 -> ValueProto.ValueType.Enum.FLOAT;
      case FLOAT64 -> ValueProto.ValueType.Enum.DOUBLE;
      case STRING -> ValueProto.ValueType.Enum.STRING;
      case BOOL -> ValueProto.ValueType.Enum.BOOL;
      case BYTES -> ValueProto.ValueType.Enum.BYTES;
      case TIMESTAMP -> ValueProto.ValueType.Enum.UNIX_TIMESTAMP;
      case DECIMAL -> {
        abort("Feast's registry has no decimal(p,s) type");
        yield null;
      }
      case LIST -> throw new IllegalStateException("lists are handled above");
    };
  }
}
