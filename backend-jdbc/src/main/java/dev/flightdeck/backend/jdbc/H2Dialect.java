package dev.flightdeck.backend.jdbc;

import org.apache.arrow.vector.types.pojo.ArrowType;

/** H2: session-local temporary tables and {@code VARBINARY} for bytes. */
final class H2Dialect implements Dialect {
  @Override
  public String name() {
    return "h2";
  }

  @Override
  public String createTemporaryTable(String quotedName, String columns) {
    return "CREATE LOCAL TEMPORARY TABLE " + quotedName + " (" + columns + ")";
  }

  @Override
  public String sqlType(ArrowType type) {
    return type instanceof ArrowType.Binary ? "VARBINARY" : SqlTypes.ansi(type);
  }
}
