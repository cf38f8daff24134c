package dev.flightdeck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The generated files every measurement reads: the file backend's repository with its one Parquet
 * source, and the entity rows as Parquet beside it.
 *
 * @param rowGroups row groups of the source file
 */
record BenchFiles(
    Path work, Path repository, Path source, Path entities, int rowGroups, double seconds) {
  static BenchFiles generate(Path work, Sizes sizes, BufferAllocator allocator)
      throws IOException, SQLException {
    long start = System.nanoTime();
    Path repository = work.resolve("file_repo");
    BenchRepository.writeFile(repository, sizes.ttl());
    Path source = repository.resolve(BenchRepository.SOURCE_FILE);
    Path entities = work.resolve("entities.parquet");
    BenchData data = new BenchData(sizes);
    data.writeSource(source, allocator);
    data.writeEntities(entities, allocator);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new BenchFiles(work, repository, source, entities, rowGroups(source), seconds);
  }

  String describe() throws IOException {
    return String.format(
        "source %s (%.0f MiB, %d row groups), entities %s (%.0f MiB), generated in %.1f s",
        work.relativize(source),
        Files.size(source) / (double) (1L << 20),
        rowGroups,
        work.relativize(entities),
        Files.size(entities) / (double) (1L << 20),
        seconds);
  }

  private static int rowGroups(Path file) throws SQLException {
    try (Connection connection = DuckDbConnections.inMemory();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(DISTINCT row_group_id) FROM parquet_metadata("
                    + DuckDbAsofJoin.literal(file)
                    + ")")) {
      result.next();
      return result.getInt(1);
    }
  }
}
