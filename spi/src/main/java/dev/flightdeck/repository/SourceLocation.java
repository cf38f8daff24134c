package dev.flightdeck.repository;

import static java.util.Objects.requireNonNull;

/**
 * Where a data source's rows are, in the terms of its backend: Parquet files at a path inside the
 * repository, or a database table, or a query an administrator wrote. Clients never send these;
 * they name the source.
 */
public sealed interface SourceLocation {
  /** The YAML key this location was given under. */
  String key();

  /** The value, for messages. */
  String value();

  record Path(String path) implements SourceLocation {
    public Path {
      requireNonNull(path, "path is null");
    }

    @Override
    public String key() {
      return "path";
    }

    @Override
    public String value() {
      return path;
    }
  }

  record Table(String table) implements SourceLocation {
    public Table {
      requireNonNull(table, "table is null");
    }

    @Override
    public String key() {
      return "table";
    }

    @Override
    public String value() {
      return table;
    }
  }

  record Query(String query) implements SourceLocation {
    public Query {
      requireNonNull(query, "query is null");
    }

    @Override
    public String key() {
      return "query";
    }

    @Override
    public String value() {
      return query;
    }
  }
}
