package dev.flightdeck.feast;

import com.google.protobuf.Duration;
import dev.flightdeck.feast.proto.core.DataFormatProto.FileFormat;
import dev.flightdeck.feast.proto.core.DataSourceProto.DataSource;
import dev.flightdeck.feast.proto.core.EntityProto.Entity;
import dev.flightdeck.feast.proto.core.EntityProto.EntitySpecV2;
import dev.flightdeck.feast.proto.core.FeatureProto.FeatureSpecV2;
import dev.flightdeck.feast.proto.core.FeatureReferenceProto.FeatureViewProjection;
import dev.flightdeck.feast.proto.core.FeatureServiceProto.FeatureService;
import dev.flightdeck.feast.proto.core.FeatureServiceProto.FeatureServiceSpec;
import dev.flightdeck.feast.proto.core.FeatureServiceProto.LoggingConfig;
import dev.flightdeck.feast.proto.core.FeatureViewProto.FeatureView;
import dev.flightdeck.feast.proto.core.FeatureViewProto.FeatureViewSpec;
import dev.flightdeck.feast.proto.core.OnDemandFeatureViewProto.OnDemandFeatureView;
import dev.flightdeck.feast.proto.core.OnDemandFeatureViewProto.OnDemandFeatureViewSpec;
import dev.flightdeck.feast.proto.core.ProjectProto.Project;
import dev.flightdeck.feast.proto.core.ProjectProto.ProjectSpec;
import dev.flightdeck.feast.proto.core.RegistryProto.Registry;
import dev.flightdeck.feast.proto.core.StreamFeatureViewProto.StreamFeatureView;
import dev.flightdeck.feast.proto.core.StreamFeatureViewProto.StreamFeatureViewSpec;
import dev.flightdeck.feast.proto.types.ValueProto.ValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Feast registry messages as {@code feast apply} writes them, built through Flightdeck's own proto
 * classes: what tests and the example generator write into {@code registry.db}.
 */
public final class FeastProtos {
  private FeastProtos() {}

  public static Project project(String name) {
    return Project.newBuilder().setSpec(ProjectSpec.newBuilder().setName(name)).build();
  }

  public static Entity entity(String project, String name, String joinKey, ValueType.Enum type) {
    return Entity.newBuilder()
        .setSpec(
            EntitySpecV2.newBuilder()
                .setName(name)
                .setProject(project)
                .setJoinKey(joinKey)
                .setValueType(type))
        .build();
  }

  /** A Parquet {@code FileSource} as Feast writes it. */
  public static DataSource fileSource(
      String project,
      String name,
      String path,
      String timestampField,
      String createdTimestampColumn,
      Map<String, String> fieldMapping) {
    return DataSource.newBuilder()
        .setName(name)
        .setProject(project)
        .setType(DataSource.SourceType.BATCH_FILE)
        .setTimestampField(timestampField)
        .setCreatedTimestampColumn(createdTimestampColumn)
        .putAllFieldMapping(fieldMapping)
        .setDataSourceClassType("feast.infra.offline_stores.file_source.FileSource")
        .setFileOptions(
            DataSource.FileOptions.newBuilder()
                .setUri(path)
                .setFileFormat(
                    FileFormat.newBuilder()
                        .setParquetFormat(FileFormat.ParquetFormat.getDefaultInstance())))
        .build();
  }

  /** A {@code PushSource} whose history is {@code batch}. */
  public static DataSource pushSource(String project, String name, DataSource batch) {
    return DataSource.newBuilder()
        .setName(name)
        .setProject(project)
        .setType(DataSource.SourceType.PUSH_SOURCE)
        .setDataSourceClassType("feast.data_source.PushSource")
        .setBatchSource(batch)
        .setPushOptions(DataSource.PushOptions.getDefaultInstance())
        .build();
  }

  public static FeatureSpecV2 feature(String name, ValueType.Enum type) {
    return FeatureSpecV2.newBuilder().setName(name).setValueType(type).build();
  }

  /** A batch feature view; an empty {@code entities} gets Feast's dummy entity, as Feast does. */
  public static FeatureView featureView(
      String project,
      String name,
      List<String> entities,
      long ttlSeconds,
      DataSource batchSource,
      List<FeatureSpecV2> features) {
    return FeatureView.newBuilder()
        .setSpec(
            FeatureViewSpec.newBuilder()
                .setName(name)
                .setProject(project)
                .addAllEntities(
                    entities.isEmpty() ? List.of(RegistryConverter.DUMMY_ENTITY) : entities)
                .addAllFeatures(features)
                .setTtl(Duration.newBuilder().setSeconds(ttlSeconds))
                .setBatchSource(batchSource)
                .setOnline(true)
                .putTags("team", "fixtures"))
        .build();
  }

  /** A view fed by a push source: {@code push}'s batch source holds its history. */
  public static FeatureView pushedView(FeatureView view, DataSource push) {
    return view.toBuilder()
        .setSpec(
            view.getSpec().toBuilder().setBatchSource(push.getBatchSource()).setStreamSource(push))
        .build();
  }

  public static OnDemandFeatureView onDemandView(
      String project, String name, List<FeatureSpecV2> features) {
    return OnDemandFeatureView.newBuilder()
        .setSpec(
            OnDemandFeatureViewSpec.newBuilder()
                .setName(name)
                .setProject(project)
                .addAllFeatures(features))
        .build();
  }

  public static StreamFeatureView streamView(
      String project, String name, List<String> entities, DataSource batchSource) {
    return StreamFeatureView.newBuilder()
        .setSpec(
            StreamFeatureViewSpec.newBuilder()
                .setName(name)
                .setProject(project)
                .addAllEntities(entities)
                .setBatchSource(batchSource)
                .addFeatures(feature("trips_last_hour", ValueType.Enum.INT64)))
        .build();
  }

  /** A projection of {@code features} of a view, named {@code alias} when it is not empty. */
  public static FeatureViewProjection projection(
      String view, String alias, List<FeatureSpecV2> features) {
    return FeatureViewProjection.newBuilder()
        .setFeatureViewName(view)
        .setFeatureViewNameAlias(alias)
        .addAllFeatureColumns(features)
        .build();
  }

  public static FeatureService featureService(
      String project, String name, String loggingPath, List<FeatureViewProjection> projections) {
    FeatureServiceSpec.Builder spec =
        FeatureServiceSpec.newBuilder()
            .setName(name)
            .setProject(project)
            .addAllFeatures(projections);
    if (!loggingPath.isEmpty()) {
      spec.setLoggingConfig(
          LoggingConfig.newBuilder()
              .setSampleRate(1.0f)
              .setFileDestination(LoggingConfig.FileDestination.newBuilder().setPath(loggingPath)));
    }
    return FeatureService.newBuilder().setSpec(spec).build();
  }

  /** Writes {@code registry} as Feast's file registry does: the bare serialized message. */
  public static void write(Registry registry, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, registry.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
