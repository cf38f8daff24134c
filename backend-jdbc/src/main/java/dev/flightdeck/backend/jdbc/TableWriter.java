package dev.flightdeck.backend.jdbc;

import static java.util.Objects.requireNonNull;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.FeatureService;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.retrieval.WriteChecks;
import dev.flightdeck.spi.RetrievalJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Everything the JDBC store writes, each in one transaction so it lands whole or not at all: {@code
 * offline_write_batch} into a view's source table, logs into a service's log table (created on
 * first use), and persisted results into a new table.
 */
final class TableWriter {
  private static final Pattern DESTINATION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private final JdbcContext context;

  TableWriter(JdbcContext context) {
    this.context = requireNonNull(context, "context is null");
  }

  long writeBatch(String viewName, VectorSchemaRoot table) {
    FeatureView view = context.repository().featureView(viewName);
    SourceRelation source = context.relation(view.source());
    String target = source.writableTable();
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      Map<String, SourceRelation.Column> stored =
          source.columns(lease.connection(), context.timeoutSeconds());
      List<FieldVector> matched =
          WriteChecks.matchStored(
              context.repository(),
              view,
              stored.values().stream()
                  .map(c -> new WriteChecks.StoredColumn(c.name(), c.arrowType(), c.nullable()))
                  .toList(),
              table);
      if (table.getRowCount() == 0) {
        return 0;
      }
      // Columns the caller left out (nullable, not needed by the view) take the table's default.
      List<String> columns = new ArrayList<>();
      List<FieldVector> ordered = new ArrayList<>();
      List<String> names = new ArrayList<>(stored.keySet());
      for (int c = 0; c < names.size(); c++) {
        if (matched.get(c) != null) {
          columns.add(context.names().quote(names.get(c), "column"));
          ordered.add(matched.get(c));
        }
      }
      inTransaction(
          lease,
          connection -> {
            context
                .dialect()
                .rowLoader()
                .load(connection, target, columns, ordered, table.getRowCount());
            return null;
          });
      return table.getRowCount();
    }
  }

  long writeLogs(String serviceName, VectorSchemaRoot logs) {
    FeatureService service = context.repository().featureService(serviceName);
    String destination = service.requireLoggingDestination();
    WriteChecks.checkLogs(context.repository(), service, logs.getSchema());
    checkLogColumns(logs);
    if (logs.getRowCount() == 0) {
      return 0;
    }
    String table =
        context.names().table(destination, "logging destination of '" + serviceName + "'");
    try (ConnectionPool.Lease lease = context.pool().borrow()) {
      inTransaction(
          lease,
          connection -> {
            if (!exists(connection, table)) {
              create(connection, table, logs.getSchema().getFields());
            }
            insert(connection, table, logs);
            return null;
          });
    }
    return logs.getRowCount();
  }

  /** Runs {@code job} into a new table {@code destination}; replaces one only if allowed. */
  long persist(RetrievalJob job, String destination, boolean allowOverwrite) {
    if (!DESTINATION.matcher(destination).matches()) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER,
          "persist destination '"
              + destination
              + "' must be a plain table name: letters, digits and '_', not starting with a digit");
    }
    String table = context.names().quote(destination, "persist destination");
    if (!allowOverwrite) {
      try (ConnectionPool.Lease lease = context.pool().borrow()) {
        refuseExisting(lease.connection(), table, destination); // before any work is done
      }
    }
    // The job reads on a connection of its own; its result is gathered before a second one writes,
    // so concurrent persists can never each hold one connection while waiting for another.
    try (VectorSchemaRoot result = job.toArrow(context.allocator());
        ConnectionPool.Lease lease = context.pool().borrow()) {
      return inTransaction(
          lease,
          connection -> {
            if (!allowOverwrite) {
              refuseExisting(connection, table, destination);
            } else if (exists(connection, table)) {
              try (Statement drop = connection.createStatement()) {
                drop.execute("DROP TABLE " + table);
              }
            }
            create(connection, table, result.getSchema().getFields());
            insert(connection, table, result);
            return (long) result.getRowCount();
          });
    }
  }

  private void refuseExisting(Connection connection, String table, String destination) {
    if (exists(connection, table)) {
      throw new FlightdeckException(
          ErrorCode.DESTINATION_EXISTS,
          "persist destination '"
              + destination
              + "' already exists; set allow_overwrite to replace it");
    }
  }

  /** Log columns become a table's column names: they must be plain identifiers too. */
  private static void checkLogColumns(VectorSchemaRoot logs) {
    for (Field field : logs.getSchema().getFields()) {
      SqlNames.check(field.getName(), "log column");
    }
  }

  private boolean exists(Connection connection, String quotedTable) {
    try (Statement probe = connection.createStatement()) {
      probe.executeQuery("SELECT 1 FROM " + quotedTable + " WHERE 1 = 0").close();
      return true;
    } catch (SQLException e) {
      // PostgreSQL aborts the transaction on a failed statement: start over cleanly.
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the caller's transaction fails next and reports it
      }
      return false;
    }
  }

  private void create(Connection connection, String quotedTable, List<Field> fields)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    for (Field field : fields) {
      columns.add(
          context.names().quote(field.getName(), "column")
              + " "
              + context.dialect().sqlType(field.getType()));
    }
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE " + quotedTable + " (" + String.join(", ", columns) + ")");
    }
  }

  private void insert(Connection connection, String quotedTable, VectorSchemaRoot rows)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    for (Field field : rows.getSchema().getFields()) {
      columns.add(context.names().quote(field.getName(), "column"));
    }
    context
        .dialect()
        .rowLoader()
        .load(connection, quotedTable, columns, rows.getFieldVectors(), rows.getRowCount());
  }

  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Commits when {@code work} finishes, rolls back when it throws; where the dialect has no
   * transactions, each statement of {@code work} commits alone.
   */
  private <T> T inTransaction(ConnectionPool.Lease lease, Work<T> work) {
    Connection connection = lease.connection();
    if (!context.dialect().transactions()) {
      try {
        return work.run(connection);
      } catch (SQLException e) {
        throw new FlightdeckException(
            ErrorCode.BACKEND_FAILURE, "writing to the database failed: " + e.getMessage(), e);
      }
    }
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      lease.markBroken();
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE, "writing to the database failed: " + e.getMessage(), e);
    }
  }
}
