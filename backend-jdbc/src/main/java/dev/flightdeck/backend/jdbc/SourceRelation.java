package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.SourceLocation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.adapter.jdbc.JdbcFieldInfo;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One data source as SQL: the relation to select from (a quoted table, or the administrator's query
 * as a subquery) and its columns, named as stored and as the repository names them.
 */
final class SourceRelation {
  private static final Logger log = LoggerFactory.getLogger(SourceRelation.class);

  private final DataSource source;
  private final SqlNames names;

  SourceRelation(DataSource source, SqlNames names) {
    this.source = requireNonNull(source, "source is null");
    this.names = requireNonNull(names, "names is null");
  }

  DataSource source() {
    return source;
  }

  /** {@code <relation> <alias>}, for a FROM clause. */
  String from(String alias) {
    SourceLocation location = source.location();
    if (location instanceof SourceLocation.Table table) {
      return names.table(table.table(), "table of data source '" + source.name() + "'")
          + " "
          + alias;
    }
    if (location instanceof SourceLocation.Query query) {
      return "(" + query.query() + ") " + alias;
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_REPOSITORY,
        "data source '"
            + source.name()
            + "' has a path; the jdbc backend reads a table or a query");
  }

  /** The table a write goes to; a query source cannot take writes. */
  String writableTable() {
    if (source.location() instanceof SourceLocation.Table table) {
      return names.table(table.table(), "table of data source '" + source.name() + "'");
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        "data source '"
            + source.name()
            + "' is a "
            + source.location().key()
            + "; writes need a table");
  }

  /** Stored column name → its SQL type served as Arrow, in storage order. */
  Map<String, Column> columns(Connection connection, int timeoutSeconds) {
    try (Statement statement = connection.createStatement()) {
      JdbcStatements.timeout(statement, timeoutSeconds);
      try (ResultSet empty =
          statement.executeQuery("SELECT * FROM " + from("s") + " WHERE 1 = 0")) {
        ResultSetMetaData metadata = empty.getMetaData();
        Map<String, Column> columns = new LinkedHashMap<>();
        for (int c = 1; c <= metadata.getColumnCount(); c++) {
          String name = metadata.getColumnLabel(c);
          columns.put(
              name,
              new Column(
                  name,
                  metadata.getColumnTypeName(c),
                  SqlTypes.arrow(new JdbcFieldInfo(metadata, c), name),
                  metadata.isNullable(c) != ResultSetMetaData.columnNoNulls));
        }
        return columns;
      }
    } catch (SQLException e) {
      // The database's text can hold SQL, schema and host names: it goes to the log only.
      log.warn("data source '{}' cannot be read: {}", source.name(), e.getMessage());
      throw new FlightdeckException(
          ErrorCode.INVALID_DATA_SOURCE,
          "data source '"
              + source.name()
              + "' cannot be read by the database (SQL state "
              + e.getSQLState()
              + "); the server log has the database's message",
          e);
    }
  }

  /**
   * Whether the source is a table with an index whose leading columns are exactly {@code columns}
   * (repository names, any order), as the driver's metadata reports. A query source, or metadata
   * the driver cannot give, counts as not indexed.
   */
  boolean indexedOn(Connection connection, List<String> columns) {
    if (!(source.location() instanceof SourceLocation.Table table)) {
      return false;
    }
    Set<String> wanted = new HashSet<>();
    columns.forEach(column -> wanted.add(storedName(column)));
    List<String> parts = List.of(table.table().split("\\.", -1));
    String catalog = parts.size() == 3 ? parts.get(0) : null;
    String name = parts.get(parts.size() - 1);
    Map<String, Map<Integer, String>> indexes;
    try {
      // An unqualified name is the session's current schema's table, not a namesake elsewhere.
      String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : connection.getSchema();
      indexes = indexes(connection, catalog, schema, name);
    } catch (SQLException e) {
      log.debug("no index metadata for data source '{}': {}", source.name(), e.getMessage());
      return false;
    }
    for (Map<Integer, String> index : indexes.values()) {
      Set<String> leading = new HashSet<>();
      for (int position = 1; position <= wanted.size(); position++) {
        leading.add(index.get(position));
      }
      if (leading.equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  /** Index name → its columns by position, for one table. */
  private static Map<String, Map<Integer, String>> indexes(
      Connection connection, String catalog, String schema, String table) throws SQLException {
    Map<String, Map<Integer, String>> indexes = new HashMap<>();
    try (ResultSet rows =
        connection.getMetaData().getIndexInfo(catalog, schema, table, false, true)) {
      while (rows.next()) {
        String index = rows.getString("INDEX_NAME");
        String column = rows.getString("COLUMN_NAME");
        if (index != null && column != null) {
          indexes
              .computeIfAbsent(index, i -> new HashMap<>())
              .put((int) rows.getShort("ORDINAL_POSITION"), column);
        }
      }
    }
    return indexes;
  }

  /** The stored name of a column the repository calls {@code name} (reversing field_mapping). */
  String storedName(String name) {
    return source.storedName(name);
  }

  /** {@code alias.<stored column>}, quoted. */
  String column(String alias, String repositoryName) {
    return alias + "." + names.quote(storedName(repositoryName), "column");
  }

  /** A stored column: its name, the database's type name, and the Arrow type it is served as. */
  record Column(String name, String typeName, ArrowType arrowType, boolean nullable) {}
}
