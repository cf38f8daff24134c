package dev.flightdeck.backend.jdbc;

import java.sql.Connection;

/** Entity rows the database can read, as a relation for the point-in-time join's FROM clause. */
public interface EntityTable {
  /** The relation, quoted (and qualified where it needs to be). */
  String relation();

  /**
   * Removes the table and anything kept for it (files), on the job's connection when it still
   * works: runs once, when the job ends, however it ends. It must not throw; what it cannot remove
   * it logs.
   */
  void drop(Connection connection);
}
