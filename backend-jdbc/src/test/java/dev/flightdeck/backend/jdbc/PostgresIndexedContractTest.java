package dev.flightdeck.backend.jdbc;

import dev.flightdeck.repository.DataSource;
import dev.flightdeck.repository.FeatureRepository;
import dev.flightdeck.repository.FeatureView;
import dev.flightdeck.spi.OfflineStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The contract on PostgreSQL with every source indexed on each view's join keys then timestamp, as
 * a served table would be: the point-in-time join then runs as {@code LEFT JOIN LATERAL ... LIMIT
 * 1} instead of the ranked join, and must give the same answers.
 */
public class PostgresIndexedContractTest extends PostgresContractTest {
  private FeatureRepository repository;

  @Override
  protected OfflineStore createStore(
      FeatureRepository repository,
      Map<String, VectorSchemaRoot> sources,
      BufferAllocator allocator)
      throws Exception {
    OfflineStore store = super.createStore(repository, sources, allocator);
    this.repository = repository;
    index();
    return store;
  }

  @Override
  protected void replaceSource(String name, VectorSchemaRoot table) throws Exception {
    super.replaceSource(name, table);
    index();
  }

  /** An index per view on its source: join keys (stored names), then the timestamp. */
  private void index() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url(), credentials())) {
      int n = 0;
      for (FeatureView view : repository.featureViews()) {
        DataSource source = repository.dataSource(view.source());
        List<String> columns = new ArrayList<>();
        for (String key : repository.joinKeys(view)) {
          columns.add('"' + source.storedName(key) + '"');
        }
        columns.add('"' + source.timestampField() + '"');
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "CREATE INDEX IF NOT EXISTS \"fd_test_"
                  + view.name()
                  + "_"
                  + n++
                  + "\" ON \""
                  + source.name()
                  + "\" ("
                  + String.join(", ", columns)
                  + ")");
        } catch (SQLException e) {
          // A test whose source lacks the view's columns (a refused request): nothing to index.
        }
      }
    }
  }
}
