package dev.flightdeck.bench;

import java.time.Duration;

/**
 * How the bench measures, beside what it generates ({@link Sizes}).
 *
 * @param warmRuns repeated large requests whose median is reported
 * @param referenceRuns DuckDB runs whose median is the reference (after one warm-up)
 * @param smallRequests one-row requests, stopped early at {@code smallBudget}
 * @param clientMinRows the smallest entity table of a concurrent client
 * @param clientMaxRows the largest
 * @param jdbcEntityRows entity rows of the request to the JDBC backend on DuckDB
 * @param postgresEntityRows entity rows of the request to the JDBC backend on PostgreSQL
 * @param file whether the file backend's rows run
 * @param jdbc whether the JDBC backend's rows run
 * @param postgres whether the JDBC backend's PostgreSQL row runs
 * @param serverHeap -Xmx of each server JVM
 */
record Settings(
    int warmRuns,
    int referenceRuns,
    int smallRequests,
    Duration smallBudget,
    int clients,
    int clientMinRows,
    int clientMaxRows,
    Duration concurrencyDuration,
    int jdbcEntityRows,
    int postgresEntityRows,
    boolean file,
    boolean jdbc,
    boolean postgres,
    String serverHeap) {
  String describe() {
    return String.format(
        "%s; DuckDB median of %d after a warm-up; JDBC: %s",
        !file
            ? "file backend: skipped"
            : String.format(
                "large requests: cold once, warm median of %d; small: %d one-row requests or %s;"
                    + " concurrency: %d clients × %s, %d–%d rows each",
                warmRuns,
                smallRequests,
                smallBudget,
                clients,
                concurrencyDuration,
                clientMinRows(),
                clientMaxRows()),
        referenceRuns,
        !jdbc
            ? "skipped"
            : String.format(
                "%,d entity rows on DuckDB, %s",
                jdbcEntityRows,
                postgres
                    ? String.format("%,d on PostgreSQL", postgresEntityRows)
                    : "PostgreSQL skipped"));
  }
}
