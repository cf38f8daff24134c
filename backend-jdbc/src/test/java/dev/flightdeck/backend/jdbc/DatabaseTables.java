package dev.flightdeck.backend.jdbc;

import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.OfflineStoreConfig;
import dev.flightdeck.repository.SourceLocation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;

/** Test fixtures in a database: Arrow tables as SQL tables, and repositories pointing at them. */
public final class DatabaseTables {
  private DatabaseTables() {}

  /** Creates table {@code name} with the columns and rows of {@code table}. */
  public static void create(String url, Properties credentials, String name, VectorSchemaRoot table)
      throws SQLException {
    Dialect dialect = Dialects.load().create(url);
    try (Connection connection = DriverManager.getConnection(url, credentials)) {
      dialect.setUp(connection);
      SqlNames names = new SqlNames(connection.getMetaData().getIdentifierQuoteString());
      List<String> columns = new ArrayList<>();
      List<String> quoted = new ArrayList<>();
      for (Field field : table.getSchema().getFields()) {
        String column = names.quote(field.getName(), "column");
        quoted.add(column);
        columns.add(column + " " + dialect.sqlType(field.getType()));
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE " + names.quote(name, "table") + " (" + String.join(", ", columns) + ")");
      }
      dialect
          .rowLoader()
          .load(
              connection,
              names.quote(name, "table"),
              quoted,
              table.getFieldVectors(),
              table.getRowCount());
    }
  }

  /** Drops table {@code name} and creates it anew from {@code table}. */
  public static void replace(
      String url, Properties credentials, String name, VectorSchemaRoot table) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url, credentials);
        Statement statement = connection.createStatement()) {
      SqlNames names = new SqlNames(connection.getMetaData().getIdentifierQuoteString());
      statement.execute("DROP TABLE " + names.quote(name, "table"));
    }
    create(url, credentials, name, table);
  }

  /** The repository with every source read from the table of its name, served over {@code url}. */
  public static FeatureRepository onTables(
      FeatureRepository repository, Map<String, String> config) {
    List<DataSource> sources = new ArrayList<>();
    for (DataSource source : repository.dataSources()) {
      sources.add(
          new DataSource(
              source.name(),
              new SourceLocation.Table(source.name()),
              source.timestampField(),
              source.createdTimestampColumn(),
              source.fieldMapping()));
    }
    return new FeatureRepository(
        repository.project(),
        new OfflineStoreConfig(JdbcOfflineStoreFactory.NAME, config),
        repository.entities(),
        sources,
        repository.featureViews(),
        repository.featureServices());
  }
}
