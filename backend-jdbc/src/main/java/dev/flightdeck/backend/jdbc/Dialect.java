package dev.flightdeck.backend.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * What differs between databases, kept small: session set-up, column types, how rows are written,
 * how the entity rows reach the database, the point-in-time join's SQL and how results are read.
 * Everything else is ANSI SQL the databases share; each default here is the portable way, so a
 * dialect overrides only what its database does differently or faster.
 *
 * <p>A dialect is made per store by its {@link DialectFactory} and used by many jobs at once: it
 * must be thread-safe (the built-in ones hold no state).
 */
public interface Dialect {
  String name();

  /** Runs once on each new connection: timestamps without a zone are UTC. */
  default void setUp(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET TIME ZONE 'UTC'");
    }
  }

  /**
   * Whether reads and writes run inside explicit transactions (auto-commit off): PostgreSQL streams
   * a result with a cursor only inside one, and a write then lands whole or not at all. A database
   * whose writes work only in auto-commit mode (Trino's connectors) says false: each statement then
   * commits alone.
   */
  default boolean transactions() {
    return true;
  }

  /** The SQL column type a value of {@code type} is stored in, for tables Flightdeck creates. */
  default String sqlType(ArrowType type) {
    return SqlTypes.ansi(type);
  }

  /** Writes rows into existing tables: batched multi-row inserts with bound values by default. */
  default RowLoader rowLoader() {
    return new BatchInsertLoader();
  }

  /**
   * Puts the entity rows where the point-in-time join can read them, on the job's connection. By
   * default a temporary table only this session sees ({@link #createTemporaryTable}), filled by
   * {@link #temporaryTableLoader} and indexed on the join keys if {@link #indexesEntityTable}.
   */
  default EntityTable shipEntityRows(Connection connection, EntityRows rows) throws SQLException {
    return TemporaryEntityTable.create(this, connection, rows);
  }

  /** DDL for a table only this session sees, dropped with the session or by the caller. */
  default String createTemporaryTable(String quotedName, String columns) {
    return "CREATE TEMPORARY TABLE " + quotedName + " (" + columns + ")";
  }

  /**
   * Loads rows into the session's temporary table {@code table} (its plain name, as made by {@link
   * #createTemporaryTable}): batched inserts unless the database has something faster.
   */
  default RowLoader temporaryTableLoader(String table) {
    return rowLoader();
  }

  /**
   * Whether the temporary entity table gets an index on its join keys, so that a join driven from
   * the source can probe it; a dialect whose join is driven from the entity rows does without.
   */
  default boolean indexesEntityTable() {
    return true;
  }

  /**
   * Whether {@link #pointInTimeSql} looks at {@link PointInTimeQuery#sourceIndexed()}; finding out
   * costs a metadata query, so it is only asked for when it matters.
   */
  default boolean choosesByIndexes() {
    return false;
  }

  /** The point-in-time join of one view: by default standard SQL that ranks every candidate. */
  default String pointInTimeSql(PointInTimeQuery query) {
    return query.ranked();
  }

  /**
   * Reads a query's result as Arrow batches of {@code batchSize} rows, each column as {@code types}
   * says (null: the served type of its SQL type): by default through {@code arrow-jdbc}.
   */
  default ResultBatches resultBatches(
      ResultSet resultSet, List<ArrowType> types, BufferAllocator allocator, int batchSize)
      throws SQLException {
    return new JdbcResultBatches(resultSet, types, allocator, batchSize);
  }
}
