package dev.flightdeck.backend.jdbc;

import org.apache.arrow.vector.types.pojo.ArrowType;

/** PostgreSQL: {@code BYTEA} for bytes, and entity rows loaded with {@code COPY}. */
final class PostgresDialect implements Dialect {
  @Override
  public String name() {
    return "postgresql";
  }

  @Override
  public String sqlType(ArrowType type) {
    return type instanceof ArrowType.Binary ? "BYTEA" : SqlTypes.ansi(type);
  }

  @Override
  public RowLoader rowLoader() {
    return new PostgresCopyLoader();
  }
}
