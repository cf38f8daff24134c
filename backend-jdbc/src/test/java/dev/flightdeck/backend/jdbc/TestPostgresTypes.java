package dev.flightdeck.backend.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flightdeck.contract.TableRows;
import dev.flightdeck.repository.RepositoryLoader;
import dev.flightdeck.spi.OfflineStore;
import dev.flightdeck.spi.OfflineStoreContext;
import dev.flightdeck.spi.PullRequest;
import dev.flightdeck.spi.RetrievalJob;
import dev.flightdeck.spi.SourceColumn;
import dev.flightdeck.spi.TimeRange;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;

/**
 * Types a warehouse table really has, read exactly: timestamps with and without a zone (to the
 * microsecond), real vs double precision, numeric as decimal, text.
 */
class TestPostgresTypes {
  @Test
  void columnsAreServedWithExactTypes() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        BufferAllocator allocator = new RootAllocator()) {
      try (Connection connection = postgres.getPostgresDatabase().getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute(
            "CREATE TABLE readings (id BIGINT, at_tz TIMESTAMPTZ, at_local TIMESTAMP,"
                + " small REAL, big DOUBLE PRECISION, money NUMERIC(10, 2), label TEXT)");
        statement.execute(
            "INSERT INTO readings VALUES (1, '2024-01-01 10:00:00.123456+02',"
                + " '2024-01-01 08:00:00.654321', 1.5, 2.25, 12.34, 'a'),"
                + " (2, NULL, NULL, NULL, NULL, NULL, NULL)");
      }
      String yaml =
          """
          project: types
          offline_store: {type: jdbc, url: "%s", user: postgres}
          entities: [{name: reading, join_keys: [id]}]
          data_sources: [{name: readings, table: readings, timestamp_field: at_local}]
          feature_views:
            - {name: r, entities: [reading], source: readings, schema: [{name: small, dtype: float32}]}
          """
              .formatted(postgres.getJdbcUrl("postgres", "postgres"));
      try (OfflineStore store =
              new JdbcOfflineStoreFactory()
                  .create(
                      new OfflineStoreContext(
                          RepositoryLoader.parse(yaml), Path.of("."), allocator));
          RetrievalJob job =
              store.pullAllFromTableOrQuery(
                  new PullRequest(
                      "readings",
                      List.of("id"),
                      List.of("at_tz", "small", "big", "money", "label"),
                      "at_local",
                      Optional.empty(),
                      TimeRange.ALL));
          VectorSchemaRoot rows = job.toArrow(allocator)) {
        ArrowType micros = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
        assertThat(rows.getSchema().getFields())
            .extracting(Field::getType)
            .containsExactly(
                new ArrowType.Int(64, true),
                micros,
                new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
                new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                new ArrowType.Decimal(10, 2, 128),
                ArrowType.Utf8.INSTANCE,
                micros);
        assertThat(TableRows.of(rows).get(0))
            .containsExactly(
                1L,
                Instant.parse("2024-01-01T08:00:00.123456Z"),
                1.5f,
                2.25,
                new BigDecimal("12.34"),
                "a",
                Instant.parse("2024-01-01T08:00:00.654321Z"));
        assertThat(TableRows.of(rows).get(1))
            .containsExactly(2L, null, null, null, null, null, null);
        assertThat(store.getTableColumnNamesAndTypes("readings"))
            .extracting(SourceColumn::type)
            .containsExactly( // named as the file backend names them: feature_store.yaml dtypes
                "int64", "timestamp", "timestamp", "float32", "float64", "decimal(10,2)", "string");
      }
    }
  }
}
