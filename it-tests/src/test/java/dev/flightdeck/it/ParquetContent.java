package dev.flightdeck.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.LocalInputFile;

/**
 * A Parquet file's schema and rows, read with parquet-mr's own example reader so the check does not
 * trust the code under test. Compares content, not bytes: encodings may change between writers.
 */
record ParquetContent(String schema, List<String> rows) {
  static ParquetContent of(Path file) throws IOException {
    String schema;
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      schema = reader.getFileMetaData().getSchema().toString();
    }
    List<String> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group row = reader.read(); row != null; row = reader.read()) {
        rows.add(row.toString());
      }
    }
    return new ParquetContent(schema, rows);
  }
}
