package dev.flightdeck.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.client.RemoteOfflineStore;
import dev.flightdeck.contract.TableRows;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.feast.FeastFixture;
import dev.flightdeck.protocol.RepositoryDescription;
import dev.flightdeck.spi.FeatureSelection;
import dev.flightdeck.spi.HistoricalFeaturesRequest;
import dev.flightdeck.spi.RetrievalJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Feast repository folder (Feast's feature_store.yaml, a registry written through the proto
 * classes, Parquet data with one source under an absolute path in another folder) served unchanged
 * by the distribution, {@code flightdeck serve --repo DIR --data-root SHARED}, and read through
 * Flightdeck's own client.
 */
class FeastRepositoryIT {
  @TempDir Path scratch;

  @Test
  @Timeout(120)
  void servesAFeastRepositoryAsItIs() throws Exception {
    Path repository = scratch.resolve("feature_repo");
    Path shared = scratch.resolve("shared");
    try (BufferAllocator allocator = new RootAllocator()) {
      FeastFixture.write(repository, Optional.of(shared), allocator);
    }
    Path log = scratch.resolve("server.log");
    int port = ServerProcesses.freePort();
    Process server =
        serve(
            log,
            "--repo",
            repository.toString(),
            "--port",
            String.valueOf(port),
            "--data-root",
            shared.toString());
    try {
      awaitOutput(server, log, "Flightdeck serving");
      try (BufferAllocator allocator = new RootAllocator();
          RemoteOfflineStore remote = new RemoteOfflineStore("127.0.0.1", port, allocator)) {
        try (VectorSchemaRoot entities = FeastFixture.entities(allocator);
            RetrievalJob job =
                remote.getHistoricalFeatures(
                    new HistoricalFeaturesRequest(
                        entities, FeatureSelection.service("driver_activity"), true));
            VectorSchemaRoot result = job.toArrow(allocator)) {
          assertThat(result.getSchema().getFields())
              .extracting(field -> field.getName())
              .containsExactlyElementsOf(FeastFixture.FULL_NAMES);
          assertThat(TableRows.of(result)).containsExactlyElementsOf(FeastFixture.EXPECTED);
        }

        // A FLOAT_LIST feature travels as an Arrow list; the CLI writes it to CSV as JSON.
        try (VectorSchemaRoot entities = FeastFixture.entities(allocator);
            RetrievalJob job =
                remote.getHistoricalFeatures(
                    new HistoricalFeaturesRequest(
                        entities, FeatureSelection.service("with_embedding"), false));
            VectorSchemaRoot result = job.toArrow(allocator)) {
          assertThat(result.getSchema().findField("embedding").getChildren())
              .hasSize(1)
              .allSatisfy(element -> assertThat(element.isNullable()).isTrue());
          assertThat(TableRows.of(result))
              .extracting(row -> row.get(3))
              .containsExactly(java.util.Arrays.asList(0.25f, null), null, List.of(0.1f, 0.2f));
        }
        Path entityCsv = scratch.resolve("entities.csv");
        Files.writeString(
            entityCsv,
            "driver_id,customer_id,event_timestamp\n1001,c-7,2024-01-01T10:45:00Z\n"
                + "1002,c-8,2024-01-01T11:00:00Z\n1001,c-9,2024-01-01T09:30:00Z\n",
            UTF_8);
        Path csv = scratch.resolve("embedding.csv");
        CliRun run =
            CliRun.of(
                "get-historical-features",
                "--entities",
                entityCsv.toString(),
                "--feature-service",
                "with_embedding",
                "--out",
                csv.toString(),
                "--port",
                String.valueOf(port));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readAllLines(csv, UTF_8))
            .containsExactly(
                "driver_id,customer_id,event_timestamp,embedding",
                "1001,c-7,2024-01-01T10:45:00Z,\"[0.25,null]\"",
                "1002,c-8,2024-01-01T11:00:00Z,",
                "1001,c-9,2024-01-01T09:30:00Z,\"[0.1,0.2]\"");

        RepositoryDescription description = remote.describe();
        assertThat(description.project()).isEqualTo(FeastFixture.PROJECT);
        assertThat(description.featureViews())
            .extracting(view -> view.name())
            .containsExactly("driver_hourly_stats", "customer_profile", "driver_fresh_stats");
        assertThat(description.unserved())
            .extracting(definition -> definition.kind() + " " + definition.name())
            .contains("feature view conv_rate_plus_100", "feature view driver_trips_stream");

        try (VectorSchemaRoot entities = FeastFixture.entities(allocator)) {
          assertThatThrownBy(
                  () -> {
                    try (RetrievalJob job =
                            remote.getHistoricalFeatures(
                                HistoricalFeaturesRequest.of(
                                    entities, List.of("conv_rate_plus_100:conv_rate_plus_100")));
                        VectorSchemaRoot ignored = job.toArrow(allocator)) {
                      // refused at the call or when the job runs
                    }
                  })
              .isInstanceOfSatisfying(
                  FlightdeckException.class,
                  e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_DEFINITION))
              .hasMessageContaining("on-demand feature view");
        }
      }
    } finally {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
      server.destroyForcibly();
    }
    assertThat(Files.readString(log, UTF_8))
        .contains("ignoring keys only Feast's online side or tooling uses: provider, online_store")
        .contains("Listed but not served");
  }

  @Test
  @Timeout(120)
  void aSourceOutsideEveryRootStopsTheServerNamingTheFlag() throws Exception {
    Path repository = scratch.resolve("feature_repo");
    try (BufferAllocator allocator = new RootAllocator()) {
      FeastFixture.write(repository, Optional.of(scratch.resolve("shared")), allocator);
    }
    Path log = scratch.resolve("server.log");
    Process server = serve(log, "--repo", repository.toString(), "--port", "0");
    try {
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exits").isTrue();
      assertThat(server.exitValue()).isNotZero();
    } finally {
      server.destroyForcibly();
    }
    assertThat(Files.readString(log, UTF_8))
        .contains("data source 'customer_profile_source'")
        .contains("--data-root");
  }

  private static Process serve(Path log, String... arguments) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-jar",
                ServerProcesses.shadedJar().toString(),
                "serve"));
    command.addAll(List.of(arguments));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static void awaitOutput(Process server, Path log, String expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log, UTF_8).contains(expected)) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "server did not print '" + expected + "':\n" + Files.readString(log, UTF_8));
      }
      Thread.sleep(50);
    }
  }
}
