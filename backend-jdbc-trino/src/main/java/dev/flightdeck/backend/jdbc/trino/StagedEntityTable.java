package dev.flightdeck.backend.jdbc.trino;

import dev.flightdeck.backend.jdbc.EntityRows;
import dev.flightdeck.backend.jdbc.EntityTable;
import dev.flightdeck.tables.ParquetTableWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entity rows as one Parquet file in a folder of their own under the staging location, read by
 * an external table of the staging Hive schema: one file write and one DDL statement instead of
 * many INSERT queries. The table and the folder go when the job ends, or at once when staging
 * fails.
 */
final class StagedEntityTable implements EntityTable {
  private static final Logger log = LoggerFactory.getLogger(StagedEntityTable.class);

  private final String relation;
  private final Path folder;

  private StagedEntityTable(String relation, Path folder) {
    this.relation = relation;
    this.folder = folder;
  }

  static EntityTable create(
      TrinoDialect dialect, Connection connection, EntityRows rows, TrinoSettings.Staging staging)
      throws SQLException {
    String relation = rows.names().table(staging.schema() + "." + rows.table(), "entity table");
    Path folder = staging.folder().resolve(rows.table());
    StagedEntityTable table = new StagedEntityTable(relation, folder);
    try {
      writeParquet(rows, folder.resolve("entities.parquet"));
      StringBuilder sql =
          new StringBuilder("CREATE TABLE ")
              .append(relation)
              .append(" (")
              .append(rows.columnDefinitions(dialect::sqlType))
              .append(") WITH (external_location = ");
      TrinoLiterals.string(sql, staging.location(rows.table()));
      sql.append(", format = 'PARQUET')");
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql.toString());
      }
      return table;
    } catch (SQLException | RuntimeException e) {
      table.drop(connection);
      throw e;
    }
  }

  /**
   * Timestamps are written zone-less ({@code isAdjustedToUTC=false}): Hive reads a UTC-adjusted one
   * into the Trino server's own time zone, a zone-less one as it is, which is what a {@code
   * timestamp(6)} column of UTC times wants.
   */
  private static void writeParquet(EntityRows rows, Path file) {
    List<Field> fields = new ArrayList<>();
    List<FieldVector> vectors = new ArrayList<>();
    for (EntityRows.Column column : rows.columns()) {
      fields.add(new Field(column.name(), column.vector().getField().getFieldType(), null));
      vectors.add(column.vector());
    }
    // A view of the caller's vectors: not closed here, they belong to the job.
    VectorSchemaRoot table = new VectorSchemaRoot(fields, vectors, rows.rowCount());
    Schema schema = table.getSchema();
    List<Type> stored = new ArrayList<>();
    for (Type type : ParquetTableWriter.parquetSchema(schema).getFields()) {
      if (type.getLogicalTypeAnnotation()
          instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation) {
        stored.add(
            Types.primitive(PrimitiveType.PrimitiveTypeName.INT64, type.getRepetition())
                .as(
                    LogicalTypeAnnotation.timestampType(
                        false, LogicalTypeAnnotation.TimeUnit.MICROS))
                .named(type.getName()));
      } else {
        stored.add(type);
      }
    }
    try (ParquetTableWriter writer =
        ParquetTableWriter.open(
            schema,
            new MessageType("entities", stored),
            file,
            ParquetTableWriter.DEFAULT_ROW_GROUP_BYTES)) {
      writer.write(table);
      writer.commit();
    }
  }

  /** Deletes {@code folder} and its files, if it exists; a failure is logged, not thrown. */
  static void deleteFolder(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not delete staged entity rows in {}: {}", folder, e.toString());
    }
  }

  @Override
  public String relation() {
    return relation;
  }

  @Override
  public void drop(Connection connection) {
    InsertedEntityTable.drop(connection, relation);
    deleteFolder(folder);
  }
}
