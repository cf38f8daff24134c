package dev.flightdeck.it;

import static dev.flightdeck.contract.TestTable.at;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TestTable;
import dev.flightdeck.server.FlightdeckServer;
import dev.flightdeck.server.ServerConfig;
import dev.flightdeck.tables.ParquetTableWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entity CSV files as a user writes them, against a repository keyed by a string zip code: the key
 * keeps the type its source stores, and each mistake gets a message that names it.
 */
class EntityFileCliIT {
  private static final String REPOSITORY =
      """
      project: zips
      offline_store: {type: file}
      entities:
        - {name: area, join_keys: [zip]}
      data_sources:
        - {name: areas, path: data/areas.parquet, timestamp_field: ts}
      feature_views:
        - name: area_stats
          entities: [area]
          source: areas
          schema:
            - {name: population, dtype: int64}
      """;

  @TempDir Path work;
  private BufferAllocator allocator;
  private FlightdeckServer server;

  @BeforeEach
  void startServer() throws Exception {
    Path repository = work.resolve("repo");
    Files.createDirectories(repository);
    Files.writeString(repository.resolve("feature_store.yaml"), REPOSITORY, UTF_8);
    allocator = new RootAllocator();
    try (VectorSchemaRoot areas =
        TestTable.with(allocator)
            .string("zip")
            .timestamp("ts")
            .int64("population")
            .row("007", at("2024-01-01T00:00:00Z"), 7000L)
            .row("7", at("2024-01-01T00:00:00Z"), 7L)
            .build()) {
      ParquetTableWriter.write(areas, repository.resolve("data/areas.parquet"));
    }
    server =
        FlightdeckServer.forRepository(repository, allocator, ServerConfig.defaults().withPort(0))
            .start();
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    allocator.close();
  }

  @Test
  void aJoinKeyKeepsTheTypeItsSourceStores() throws Exception {
    CliRun run =
        retrieve("zip,event_timestamp\n007,2024-01-02T00:00:00Z\n7,2024-01-02T00:00:00Z\n");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(work.resolve("out.csv"), UTF_8))
        .isEqualTo(
            "zip,event_timestamp,population\n"
                + "007,2024-01-02T00:00:00Z,7000\n"
                + "7,2024-01-02T00:00:00Z,7\n");
  }

  @Test
  void typesOverrideWhatTheSourceSays() throws Exception {
    CliRun run = retrieve("zip,event_timestamp\n7,2024-01-02T00:00:00Z\n", "--types", "zip=int64");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("entity table column 'zip' is int64, but feature view 'area_stats' stores it")
        .contains("[INVALID_ENTITY_TABLE]");

    CliRun unknown =
        retrieve("zip,event_timestamp\n7,2024-01-02T00:00:00Z\n", "--types", "zip=text");
    assertThat(unknown.err()).contains("--types zip=text: unknown type (known: int32, int64");

    CliRun badValue =
        retrieve(
            "zip,event_timestamp,weight\n7,2024-01-02T00:00:00Z,heavy\n",
            "--types",
            "weight=float32");
    assertThat(badValue.err())
        .contains("entities.csv line 2, column 'weight': 'heavy' is not a float32");

    CliRun absent = retrieve("zip,event_timestamp\n7,2024-01-02T00:00:00Z\n", "--types", "w=int32");
    assertThat(absent.err()).contains("--types names column 'w', which entities.csv does not have");
  }

  @Test
  void mistakesInTheFileAreNamed() throws Exception {
    assertThat(retrieve("zip,event_timestamp\n").err())
        .contains("entities.csv has no entity rows, only a header");
    assertThat(retrieve("zip,event_timestamp\n007,1704153600\n").err())
        .contains("column 'event_timestamp' of entities.csv is int64, not a timestamp")
        .contains("ISO-8601");
    assertThat(retrieve("zip,event_timestamp\n007,2024-01-02T00:00:00Z\n008,\n").err())
        .contains("entities.csv row 2 has no event_timestamp (an empty cell)");
    assertThat(retrieve("zip,asked,answered\n007,2024-01-02,2024-01-03\n").err())
        .contains("several timestamp columns (asked, answered)")
        .contains("--timestamp-column");
  }

  @Test
  void theTimestampColumnCanBeNamed() throws Exception {
    CliRun run =
        retrieve(
            "zip,asked,answered\n007,2024-01-02,2023-12-01\n", "--timestamp-column", "answered");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(work.resolve("out.csv"), UTF_8))
        .isEqualTo(
            "zip,asked,event_timestamp,population\n"
                + "007,2024-01-02T00:00:00Z,2023-12-01T00:00:00Z,\n");
  }

  private CliRun retrieve(String csv, String... more) throws Exception {
    Path entities = work.resolve("entities.csv");
    Files.writeString(entities, csv, UTF_8);
    List<String> args =
        new ArrayList<>(
            List.of(
                "get-historical-features",
                "--entities",
                entities.toString(),
                "--features",
                "area_stats:population",
                "--out",
                work.resolve("out.csv").toString(),
                "--port",
                String.valueOf(server.port())));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }
}
