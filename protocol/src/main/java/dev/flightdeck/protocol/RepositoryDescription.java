package dev.flightdeck.protocol;

import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.Durations;
import dev.flightdeck.repository.Feature;
import dev.flightdeck.repository.FeatureReference;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a client may ask a server for: the repository's names and types, as the {@code describe}
 * action returns them in JSON, and what it defines but does not serve (a Feast on-demand view, a
 * list-typed feature) with the reason. Never paths, tables or queries: those stay on the server.
 */
public record RepositoryDescription(
    String project,
    List<EntityInfo> entities,
    List<DataSourceInfo> dataSources,
    List<FeatureViewInfo> featureViews,
    List<FeatureServiceInfo> featureServices,
    List<UnservedInfo> unserved) {

  public record EntityInfo(String name, List<String> joinKeys) {}

  public record DataSourceInfo(
      String name,
      String timestampField,
      String createdTimestampColumn,
      Map<String, String> fieldMapping) {}

  /** A view; {@code ttl} is ISO-8601, {@code PT0S} for none. */
  public record FeatureViewInfo(
      String name,
      List<String> entities,
      List<String> joinKeys,
      String ttl,
      String source,
      List<FeatureInfo> features) {}

  public record FeatureInfo(String name, String dtype) {}

  public record FeatureServiceInfo(String name, List<String> features, boolean logging) {}

  /**
   * A definition the server lists and refuses: {@code kind} as messages name it ("feature view"),
   * {@code name} ({@code view:feature} for a feature), and why, as a clause after "it".
   */
  public record UnservedInfo(String kind, String name, String reason) {}

  public static RepositoryDescription of(FeatureRepository repository) {
    return new RepositoryDescription(
        repository.project(),
        repository.entities().stream()
            .map(entity -> new EntityInfo(entity.name(), entity.joinKeys()))
            .toList(),
        repository.dataSources().stream().map(RepositoryDescription::source).toList(),
        repository.featureViews().stream().map(view -> view(repository, view)).toList(),
        repository.featureServices().stream().map(RepositoryDescription::service).toList(),
        repository.unserved().stream()
            .map(
                definition ->
                    new UnservedInfo(
                        definition.kind().label(), definition.name(), definition.reason()))
            .toList());
  }

  private static DataSourceInfo source(DataSource source) {
    return new DataSourceInfo(
        source.name(),
        source.timestampField(),
        source.createdTimestampColumn().orElse(null),
        source.fieldMapping());
  }

  private static FeatureViewInfo view(FeatureRepository repository, FeatureView view) {
    return new FeatureViewInfo(
        view.name(),
        view.entities(),
        repository.joinKeys(view),
        Durations.format(view.ttl()),
        view.source(),
        view.features().stream().map(RepositoryDescription::feature).toList());
  }

  private static FeatureInfo feature(Feature feature) {
    return new FeatureInfo(feature.name(), feature.type().dtype());
  }

  private static FeatureServiceInfo service(FeatureService service) {
    return new FeatureServiceInfo(
        service.name(),
        service.features().stream().map(FeatureReference::toString).toList(),
        service.loggingDestination().isPresent());
  }

  /** The view named {@code name}, or empty. */
  public Optional<FeatureViewInfo> featureView(String name) {
    return featureViews.stream().filter(view -> view.name().equals(name)).findFirst();
  }

  /** The source named {@code name}, or empty. */
  public Optional<DataSourceInfo> dataSource(String name) {
    return dataSources.stream().filter(source -> source.name().equals(name)).findFirst();
  }
}
