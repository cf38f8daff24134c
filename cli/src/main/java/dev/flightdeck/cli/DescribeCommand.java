package dev.flightdeck.cli;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.protocol.RepositoryDescription;
import dev.flightdeck.protocol.RepositoryDescription.DataSourceInfo;
import dev.flightdeck.protocol.RepositoryDescription.EntityInfo;
import dev.flightdeck.protocol.RepositoryDescription.FeatureInfo;
import dev.flightdeck.protocol.RepositoryDescription.FeatureServiceInfo;
import dev.flightdeck.protocol.RepositoryDescription.FeatureViewInfo;
import dev.flightdeck.protocol.RepositoryDescription.UnservedInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code flightdeck describe}: what a running server's repository offers, as readable tables. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description =
        "Prints the entities, data sources, feature views (with typed features) and feature"
            + " services of a running server's repository.")
final class DescribeCommand implements Callable<Integer> {
  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Mixin ServerAddress server;

  @Override
  public Integer call() {
    RepositoryDescription repository;
    try (BufferAllocator allocator = new RootAllocator();
        RemoteOfflineStore store = server.connect(allocator)) {
      repository = store.describe();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Project " + repository.project());
    List<List<String>> entities = new ArrayList<>();
    for (EntityInfo entity : repository.entities()) {
      entities.add(List.of(entity.name(), String.join(", ", entity.joinKeys())));
    }
    section(out, "Entities", List.of("entity", "join keys"), entities);

    List<List<String>> sources = new ArrayList<>();
    for (DataSourceInfo source : repository.dataSources()) {
      List<String> mapping = new ArrayList<>();
      source.fieldMapping().forEach((from, to) -> mapping.add(from + " -> " + to));
      sources.add(
          List.of(
              source.name(),
              source.timestampField(),
              source.createdTimestampColumn() == null ? "" : source.createdTimestampColumn(),
              String.join(", ", mapping)));
    }
    section(
        out,
        "Data sources",
        List.of("source", "timestamp field", "created column", "field mapping"),
        sources);

    List<List<String>> features = new ArrayList<>();
    for (FeatureViewInfo view : repository.featureViews()) {
      for (FeatureInfo feature : view.features()) {
        features.add(
            List.of(
                view.name(),
                feature.name(),
                feature.dtype(),
                String.join(", ", view.joinKeys()),
                view.ttl().equals("PT0S") ? "none" : view.ttl(),
                view.source()));
      }
    }
    section(
        out,
        "Feature views",
        List.of("view", "feature", "dtype", "join keys", "ttl", "source"),
        features);

    List<List<String>> services = new ArrayList<>();
    for (FeatureServiceInfo service : repository.featureServices()) {
      services.add(
          List.of(
              service.name(),
              String.join(", ", service.features()),
              service.logging() ? "yes" : "no"));
    }
    section(out, "Feature services", List.of("service", "features", "logging"), services);

    if (!repository.unserved().isEmpty()) {
      List<List<String>> unserved = new ArrayList<>();
      for (UnservedInfo definition : repository.unserved()) {
        unserved.add(List.of(definition.kind(), definition.name(), "it " + definition.reason()));
      }
      section(out, "Not served (refused when requested)", List.of("kind", "name", "why"), unserved);
    }
    out.flush();
    return 0;
  }

  private static void section(
      PrintWriter out, String title, List<String> header, List<List<String>> rows) {
    out.println();
    out.println(title);
    TablePrinter.print(header, rows, out);
  }
}
