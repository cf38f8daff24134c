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
    boolean jdbc,
    boolean postgres,
    String serverHeap) {
  String describe() {
    return String.format(
        "large requests: cold once, warm median of %d; DuckDB median of %d after a warm-up; small:"
            + " %d one-row requests or %s; concurrency: %d clients × %s, %d–%d rows each; JDBC:"
            + " %s",
        warmRuns,
        referenceRuns,
        smallRequests,
        smallBudget,
        clients,
        concurrencyDuration,
        clientMinRows(),
        clientMaxRows(),
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
