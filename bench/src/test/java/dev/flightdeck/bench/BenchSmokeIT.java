package dev.flightdeck.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole bench at a tiny size: data generated, every server started in its own JVM, every row
 * measured and printed, and Flightdeck's answers equal to DuckDB's. The full-size run is
 * ./flightdeck-bench, outside mvn verify.
 */
class BenchSmokeIT {
  @Test
  @Timeout(240)
  void printsTheTableAndTheCrossChecksPass(@TempDir Path work) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new CommandLine(
                new FlightdeckBench(
                    new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8)))
            .execute(
                "--entity-rows", "2000",
                "--feature-rows", "20000",
                "--keys", "200",
                "--warm-runs", "2",
                "--reference-runs", "1",
                "--small-requests", "20",
                "--clients", "8",
                "--concurrency-duration", "PT2S",
                "--jdbc-entity-rows", "1500",
                "--postgres-entity-rows", "1000",
                "--server-heap", "512m",
                "--work", work.toString());

    String table = out.toString(UTF_8);
    assertThat(exit).as(err.toString(UTF_8) + table).isZero();
    assertThat(table)
        .containsPattern("\\| #\\s+\\| measurement\\s+\\| time")
        .contains("DuckDB `ASOF LEFT JOIN` over the same Parquet files")
        .contains("first request after the server started (cold)")
        .contains("the same request again (warm)")
        .contains("bare Flight `do_get`")
        .contains("one entity row, warm")
        .contains("8 concurrent clients")
        .contains("DuckDB `ASOF LEFT JOIN` on the DuckDB tables, 1,500 entity rows")
        .contains("DuckDB `ASOF LEFT JOIN` on the DuckDB tables, 1,000 entity rows")
        .contains("JDBC backend on DuckDB (database file), 1,500 entity rows")
        .containsPattern("JDBC backend on PostgreSQL [0-9.]+ \\(embedded\\), 1,000 entity rows")
        .contains("cross-check passed: file backend: cold and 2 warm answers equal DuckDB's")
        .contains("cross-check passed: JDBC backend on DuckDB: 1,500 rows")
        .contains("cross-check passed: JDBC backend on PostgreSQL: 1,000 rows")
        .doesNotContain("FAILED");
    // A --work folder is kept, with each server's log.
    assertThat(work.resolve("logs/serve-file.log")).exists();
    assertThat(Files.readString(work.resolve("logs/serve-file.log"), UTF_8))
        .doesNotContain("Exception");
  }

  @Test
  @Timeout(240)
  void skipFileMeasuresTheJdbcRowsAlone(@TempDir Path work) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new CommandLine(
                new FlightdeckBench(
                    new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8)))
            .execute(
                "--entity-rows",
                "2000",
                "--feature-rows",
                "20000",
                "--keys",
                "200",
                "--reference-runs",
                "1",
                "--skip-file",
                "--skip-postgres",
                "--server-heap",
                "512m",
                "--work",
                work.toString());

    String table = out.toString(UTF_8);
    assertThat(exit).as(err.toString(UTF_8) + table).isZero();
    assertThat(table)
        .contains("file backend: skipped")
        .contains("DuckDB `ASOF LEFT JOIN` on the DuckDB tables, 2,000 entity rows")
        .contains("cross-check passed: JDBC backend on DuckDB: 2,000 rows")
        .doesNotContain("over the same Parquet files")
        .doesNotContain("(warm)")
        .doesNotContain("FAILED");
    assertThat(work.resolve("logs/serve-file.log")).doesNotExist();
  }
}
