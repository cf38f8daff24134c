package dev.flightdeck.tables;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.repository.ValueType;
import dev.flightdeck.retrieval.Timestamps;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * CSV files (RFC 4180: a header row, quoted fields may hold commas, quotes and newlines) as Arrow
 * tables. Reading infers each column's type from all its values: int64, float64, bool, timestamps
 * (ISO-8601; without an offset they mean UTC; a plain date is midnight UTC), else utf8. An empty
 * field is null.
 */
public final class CsvTables {
  private CsvTables() {}

  public static VectorSchemaRoot read(Path file, BufferAllocator allocator) {
    return read(file, Map.of(), allocator);
  }

  /**
   * Reads {@code file}; a column named in {@code declared} gets that type (each value must parse as
   * it, or the error names the line, column and value), the others are inferred. Declared columns
   * the file does not have are ignored.
   */
  public static VectorSchemaRoot read(
      Path file, Map<String, ValueType> declared, BufferAllocator allocator) {
    String name = file.getFileName().toString();
    List<List<String>> records;
    try {
      records = parse(Files.readString(file, UTF_8));
    } catch (IOException e) {
      throw new FlightdeckException(
          ErrorCode.INVALID_PARAMETER, "cannot read " + name + ": " + e.getMessage(), e);
    }
    if (records.isEmpty()) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, name + " has no header row");
    }
    List<String> header = records.get(0);
    List<List<String>> rows = records.subList(1, records.size());
    for (int line = 0; line < rows.size(); line++) {
      if (rows.get(line).size() != header.size()) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            name
                + " line "
                + (line + 2)
                + " has "
                + rows.get(line).size()
                + " fields, the header has "
                + header.size());
      }
    }
    List<Field> fields = new ArrayList<>();
    for (int column = 0; column < header.size(); column++) {
      ValueType type = declared.get(header.get(column));
      fields.add(
          Field.nullable(
              header.get(column), type != null ? type.arrowType() : inferType(rows, column)));
    }
    VectorSchemaRoot table = VectorSchemaRoot.create(new Schema(fields), allocator);
    try {
      table.allocateNew();
      for (int column = 0; column < header.size(); column++) {
        FieldVector vector = table.getVector(column);
        for (int row = 0; row < rows.size(); row++) {
          String value = rows.get(row).get(column);
          try {
            set(vector, row, value);
          } catch (RuntimeException e) {
            throw new FlightdeckException(
                ErrorCode.INVALID_PARAMETER,
                name
                    + " line "
                    + (row + 2)
                    + ", column '"
                    + header.get(column)
                    + "': '"
                    + abbreviate(value)
                    + "' is not "
                    + article(TypeNames.of(vector.getField().getType())));
          }
        }
        vector.setValueCount(rows.size());
      }
      table.setRowCount(rows.size());
      return table;
    } catch (RuntimeException e) {
      table.close();
      throw e;
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "…";
  }

  private static String article(String type) {
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  /** Writes the header of {@code schema}; then call {@link #writeRows} for each batch. */
  public static void writeHeader(Schema schema, Writer out) throws IOException {
    List<String> names = new ArrayList<>();
    for (Field field : schema.getFields()) {
      names.add(quote(field.getName()));
    }
    out.write(String.join(",", names));
    out.write('\n');
  }

  public static void writeRows(VectorSchemaRoot batch, Writer out) throws IOException {
    List<FieldVector> vectors = batch.getFieldVectors();
    StringBuilder line = new StringBuilder();
    for (int row = 0; row < batch.getRowCount(); row++) {
      line.setLength(0);
      for (int column = 0; column < vectors.size(); column++) {
        if (column > 0) {
          line.append(',');
        }
        line.append(format(vectors.get(column), row));
      }
      line.append('\n');
      out.write(line.toString());
    }
  }

  private static String format(FieldVector vector, int row) {
    if (vector.isNull(row)) {
      return "";
    }
    if (vector instanceof ListVector list) {
      return quote(listJson(list, row));
    }
    if (vector instanceof TimeStampVector timestamps) {
      return Timestamps.toInstant(Timestamps.epochMicros(timestamps, row)).toString();
    }
    if (vector instanceof VarCharVector strings) {
      return quote(new String(strings.get(row), UTF_8));
    }
    return quote(String.valueOf(vector.getObject(row)));
  }

  /**
   * A non-null list as the JSON array text CSV cells and printed tables show it: {@code
   * [1.5,null]}, strings and timestamps (ISO-8601) quoted, bytes in base64; {@code json.loads}
   * reads it back.
   */
  public static String listJson(ListVector list, int row) {
    StringBuilder json = new StringBuilder("[");
    FieldVector elements = list.getDataVector();
    for (int i = list.getElementStartIndex(row); i < list.getElementEndIndex(row); i++) {
      if (json.length() > 1) {
        json.append(',');
      }
      if (elements.isNull(i)) {
        json.append("null");
      } else if (elements instanceof ListVector inner) {
        json.append(listJson(inner, i));
      } else if (elements instanceof TimeStampVector timestamps) {
        jsonString(json, Timestamps.toInstant(Timestamps.epochMicros(timestamps, i)).toString());
      } else if (elements instanceof VarCharVector strings) {
        jsonString(json, new String(strings.get(i), UTF_8));
      } else if (elements instanceof VarBinaryVector binaries) {
        jsonString(json, java.util.Base64.getEncoder().encodeToString(binaries.get(i)));
      } else {
        json.append(elements.getObject(i));
      }
    }
    return json.append(']').toString();
  }

  private static void jsonString(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static String quote(String value) {
    if (value.isEmpty()
        || value.indexOf(',') >= 0
        || value.indexOf('"') >= 0
        || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0) {
      // An empty string is quoted so it reads back as a string, not as null.
      return '"' + value.replace("\"", "\"\"") + '"';
    }
    return value;
  }

  private static ArrowType inferType(List<List<String>> rows, int column) {
    boolean longs = true;
    boolean doubles = true;
    boolean bools = true;
    boolean timestamps = true;
    boolean any = false;
    for (List<String> row : rows) {
      String value = row.get(column);
      if (value == null) {
        continue;
      }
      any = true;
      longs &= parseLong(value).isPresent();
      doubles &= parseDouble(value).isPresent();
      bools &= value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
      timestamps &= parseTimestamp(value).isPresent();
    }
    if (!any) {
      return ArrowType.Utf8.INSTANCE;
    }
    if (longs) {
      return new ArrowType.Int(64, true);
    }
    if (doubles) {
      return new ArrowType.FloatingPoint(
          org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE);
    }
    if (bools) {
      return ArrowType.Bool.INSTANCE;
    }
    if (timestamps) {
      return new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
    }
    return ArrowType.Utf8.INSTANCE;
  }

  private static void set(FieldVector vector, int row, String value) {
    if (value == null) {
      vector.setNull(row);
    } else if (vector instanceof BigIntVector longs) {
      longs.setSafe(row, parseLong(value).orElseThrow());
    } else if (vector instanceof IntVector ints) {
      ints.setSafe(row, Math.toIntExact(parseLong(value).orElseThrow()));
    } else if (vector instanceof Float8Vector doubles) {
      doubles.setSafe(row, parseDouble(value).orElseThrow());
    } else if (vector instanceof Float4Vector floats) {
      floats.setSafe(row, parseDouble(value).orElseThrow().floatValue());
    } else if (vector instanceof BitVector bools) {
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("not a bool");
      }
      bools.setSafe(row, value.equalsIgnoreCase("true") ? 1 : 0);
    } else if (vector instanceof TimeStampMicroTZVector timestamps) {
      timestamps.setSafe(row, Timestamps.toMicros(parseTimestamp(value).orElseThrow()));
    } else if (vector instanceof VarCharVector strings) {
      strings.setSafe(row, value.getBytes(UTF_8));
    } else {
      throw new IllegalArgumentException("no CSV reader for " + vector.getField());
    }
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return Optional.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<Double> parseDouble(String value) {
    try {
      return Optional.of(Double.parseDouble(value.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** ISO-8601 instants; without an offset, UTC; a plain date is midnight UTC. */
  public static Optional<Instant> parseTimestamp(String text) {
    String value = text.strip().replace(' ', 'T');
    try {
      return Optional.of(OffsetDateTime.parse(value).toInstant());
    } catch (DateTimeParseException notOffset) {
      try {
        return Optional.of(LocalDateTime.parse(value).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException notLocal) {
        try {
          return Optional.of(LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notDate) {
          return Optional.empty();
        }
      }
    }
  }

  /** RFC 4180 records; an unquoted empty field is null, a quoted one the empty string. */
  public static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i += 2;
          continue;
        }
        if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        record.add(fieldValue(field, wasQuoted));
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == '\r') {
        record.add(fieldValue(field, wasQuoted));
        field.setLength(0);
        wasQuoted = false;
        if (!(record.size() == 1 && record.get(0) == null)) {
          records.add(record); // skips blank lines
        }
        record = new ArrayList<>();
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        field.append(c);
      }
      i++;
    }
    if (quoted) {
      throw new FlightdeckException(ErrorCode.INVALID_PARAMETER, "CSV ends inside a quoted field");
    }
    if (field.length() > 0 || wasQuoted || !record.isEmpty()) {
      record.add(fieldValue(field, wasQuoted));
      records.add(record);
    }
    return records;
  }

  private static String fieldValue(StringBuilder field, boolean wasQuoted) {
    return field.length() == 0 && !wasQuoted ? null : field.toString();
  }
}
