package dev.flightdeck.tables;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.repository.TypeNames;
import dev.flightdeck.retrieval.Timestamps;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes an Arrow table to one Parquet file: int32, int64, float32, float64, utf8, bool, binary and
 * timestamps (any unit and zone, stored as {@code INT64 TIMESTAMP(MICROS, UTC)}), and lists of them
 * (Parquet's standard 3-level {@code LIST}), all optional so nulls survive. The file appears whole
 * or not at all: it is written beside its target and renamed. Batches can be written one at a time
 * ({@link #open}), so a large result need not be held whole.
 */
public final class ParquetTableWriter implements AutoCloseable {
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  /** Parquet's usual row group size. */
  public static final long DEFAULT_ROW_GROUP_BYTES = ParquetWriter.DEFAULT_BLOCK_SIZE;

  private final Schema schema;
  private final Path file;
  private final Path temporary;
  private final RowWriteSupport rows;
  private final ParquetWriter<Integer> writer;
  private boolean finished;

  private ParquetTableWriter(
      Schema schema,
      Path file,
      Path temporary,
      RowWriteSupport rows,
      ParquetWriter<Integer> writer) {
    this.schema = schema;
    this.file = file;
    this.temporary = temporary;
    this.rows = rows;
    this.writer = writer;
  }

  public static void write(VectorSchemaRoot table, Path file) {
    write(table, file, DEFAULT_ROW_GROUP_BYTES);
  }

  /**
   * Writes with a row group size in bytes; small sizes make many row groups (Parquet checks every
   * 100 rows at the soonest).
   */
  public static void write(VectorSchemaRoot table, Path file, long rowGroupBytes) {
    try (ParquetTableWriter writer = open(table.getSchema(), file, rowGroupBytes)) {
      writer.write(table);
      writer.commit();
    }
  }

  /**
   * A writer of batches of {@code schema} into {@code file}, holding one row group in memory at a
   * time: {@link #write} each batch, then {@link #commit}. Closing without committing leaves {@code
   * file} as it was.
   */
  public static ParquetTableWriter open(Schema schema, Path file) {
    return open(schema, file, DEFAULT_ROW_GROUP_BYTES);
  }

  public static ParquetTableWriter open(Schema schema, Path file, long rowGroupBytes) {
    return open(schema, parquetSchema(schema), file, rowGroupBytes);
  }

  /**
   * A writer that stores each column with the Parquet type {@code storedAs} gives it, in the same
   * order: rewriting or extending a user's file keeps its timestamps' unit, encoding (INT96, INT64
   * or DATE) and UTC flag exactly, instead of Flightdeck's own {@code TIMESTAMP(MICROS, UTC)}.
   */
  public static ParquetTableWriter open(
      Schema schema, MessageType storedAs, Path file, long rowGroupBytes) {
    MessageType parquetSchema = storedAs;
    Path folder = file.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      Files.createDirectories(folder);
      // Hidden name: folder readers skip it, so a half-written file is never read. Not
      // createTempFile: its owner-only permissions would survive the rename and hide the data
      // from other readers.
      temporary = folder.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
      RowWriteSupport rows = new RowWriteSupport(parquetSchema);
      ParquetWriter<Integer> writer =
          new Builder(new LocalOutputFile(temporary), rows)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .withRowGroupSize(rowGroupBytes)
              .build();
      return new ParquetTableWriter(schema, file, temporary, rows, writer);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temporary, e);
      throw failure(file, e);
    }
  }

  /** Appends the rows of {@code batch}, whose schema must be the writer's. */
  public void write(VectorSchemaRoot batch) {
    if (finished) {
      throw new IllegalStateException("the writer of " + file + " is closed");
    }
    if (!batch.getSchema().equals(schema)) {
      throw new FlightdeckException(
          ErrorCode.SCHEMA_MISMATCH,
          "a batch for " + file + " has columns " + batch.getSchema() + ", not " + schema);
    }
    rows.batch = batch;
    try {
      for (int row = 0; row < batch.getRowCount(); row++) {
        writer.write(row);
      }
    } catch (IOException | RuntimeException e) {
      throw failure(file, e);
    } finally {
      rows.batch = null;
    }
  }

  /** Finishes the file and moves it into place whole. */
  public void commit() {
    if (finished) {
      throw new IllegalStateException("the writer of " + file + " is closed");
    }
    finished = true;
    try {
      writer.close();
      moveIntoPlace(temporary, file);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temporary, e);
      throw failure(file, e);
    }
  }

  /** Abandons an uncommitted file; after {@link #commit} it does nothing. */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      writer.close();
    } catch (IOException | RuntimeException e) {
      // Abandoning anyway: the temporary file goes below.
    } finally {
      try {
        Files.deleteIfExists(temporary);
      } catch (IOException e) {
        // A leftover hidden file is skipped by readers; nothing more to do.
      }
    }
  }

  private static FlightdeckException failure(Path file, Exception e) {
    if (e instanceof FlightdeckException flightdeck) {
      return flightdeck;
    }
    return new FlightdeckException(
        ErrorCode.BACKEND_FAILURE,
        "writing Parquet file " + file + " failed: " + e.getMessage(),
        e);
  }

  private static void moveIntoPlace(Path temporary, Path file) throws IOException {
    try {
      Files.move(
          temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path temporary, Exception failure) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** The Parquet schema for an Arrow table; unsupported Arrow types are refused by name. */
  public static MessageType parquetSchema(Schema schema) {
    List<Type> fields = new ArrayList<>();
    for (Field field : schema.getFields()) {
      fields.add(parquetField(field));
    }
    return new MessageType("schema", fields);
  }

  private static Type parquetField(Field field) {
    return parquetField(field, field.getName());
  }

  private static Type parquetField(Field field, String name) {
    ArrowType type = field.getType();
    if (type instanceof ArrowType.List && field.getChildren().size() == 1) {
      Type element = parquetField(field.getChildren().get(0), "element");
      if (!element.isPrimitive()) {
        throw new FlightdeckException(
            ErrorCode.INVALID_PARAMETER,
            "column '"
                + name
                + "' has type "
                + TypeNames.of(field)
                + ", which the Parquet writer does not support (lists of lists)");
      }
      // The standard 3-level form, as pyarrow and Feast write it.
      return Types.optionalGroup()
          .as(LogicalTypeAnnotation.listType())
          .addField(Types.repeatedGroup().addField(element).named("list"))
          .named(name);
    }
    if (type instanceof ArrowType.Int integer
        && integer.getIsSigned()
        && integer.getBitWidth() == 32) {
      return Types.optional(PrimitiveTypeName.INT32).named(name);
    }
    if (type instanceof ArrowType.Int integer
        && integer.getIsSigned()
        && integer.getBitWidth() == 64) {
      return Types.optional(PrimitiveTypeName.INT64).named(name);
    }
    if (type instanceof ArrowType.FloatingPoint floating
        && floating.getPrecision() == FloatingPointPrecision.SINGLE) {
      return Types.optional(PrimitiveTypeName.FLOAT).named(name);
    }
    if (type instanceof ArrowType.FloatingPoint floating
        && floating.getPrecision() == FloatingPointPrecision.DOUBLE) {
      return Types.optional(PrimitiveTypeName.DOUBLE).named(name);
    }
    if (type instanceof ArrowType.Utf8) {
      return Types.optional(PrimitiveTypeName.BINARY)
          .as(LogicalTypeAnnotation.stringType())
          .named(name);
    }
    if (type instanceof ArrowType.Bool) {
      return Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
    }
    if (type instanceof ArrowType.Binary) {
      return Types.optional(PrimitiveTypeName.BINARY).named(name);
    }
    if (type instanceof ArrowType.Decimal decimal && decimal.getBitWidth() == 128) {
      return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
          .length(decimalBytes(decimal.getPrecision()))
          .as(LogicalTypeAnnotation.decimalType(decimal.getScale(), decimal.getPrecision()))
          .named(name);
    }
    if (type instanceof ArrowType.Date date && date.getUnit() == DateUnit.DAY) {
      return Types.optional(PrimitiveTypeName.INT32)
          .as(LogicalTypeAnnotation.dateType())
          .named(name);
    }
    if (type instanceof ArrowType.Timestamp) {
      return Types.optional(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named(name);
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        "column '"
            + name
            + "' has type "
            + TypeNames.of(field)
            + ", which the Parquet writer does not support (int32, int64, float32, float64, string, bool, bytes, timestamp, date32, decimal, and lists of them)");
  }

  /** The fewest bytes whose two's complement holds every unscaled value of {@code precision}. */
  static int decimalBytes(int precision) {
    BigInteger largest = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
    return largest.bitLength() / 8 + 1;
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final RowWriteSupport rows;

    Builder(OutputFile file, RowWriteSupport rows) {
      super(file);
      this.rows = rows;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return rows;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration conf) {
      return rows;
    }
  }

  /** Writes row {@code i} of the current batch; the "record" is the row index. */
  private static final class RowWriteSupport extends WriteSupport<Integer> {
    private final MessageType schema;
    private VectorSchemaRoot batch;
    private RecordConsumer consumer;

    RowWriteSupport(MessageType schema) {
      this.schema = schema;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Integer boxedRow) {
      int row = boxedRow;
      consumer.startMessage();
      List<FieldVector> vectors = batch.getFieldVectors();
      for (int column = 0; column < vectors.size(); column++) {
        FieldVector vector = vectors.get(column);
        if (vector.isNull(row)) {
          continue;
        }
        Type stored = schema.getType(column);
        if (vector instanceof ListVector list) {
          writeList(list, row, stored, column);
          continue;
        }
        String name = vector.getField().getName();
        consumer.startField(name, column);
        writeValue(vector, row, stored.asPrimitiveType());
        consumer.endField(name, column);
      }
      consumer.endMessage();
    }

    /**
     * A non-null list in the stored form: 3-level ({@code group (LIST) { repeated group list {
     * element } }}), 2-level ({@code group (LIST) { repeated T element }}) or a bare {@code
     * repeated T}, which cannot hold null elements.
     */
    private void writeList(ListVector list, int row, Type stored, int column) {
      FieldVector elements = list.getDataVector();
      int start = list.getElementStartIndex(row);
      int end = list.getElementEndIndex(row);
      ParquetColumn shape =
          ParquetColumn.of(stored)
              .filter(ParquetColumn::isList)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "column " + stored.getName() + " is not stored as a list"));
      PrimitiveType element = shape.type();
      if (!shape.list().elementsNullable()) {
        for (int i = start; i < end; i++) {
          if (elements.isNull(i)) {
            throw new FlightdeckException(
                ErrorCode.SCHEMA_MISMATCH,
                "column '"
                    + stored.getName()
                    + "' has a null element at row "
                    + row
                    + ", but the file stores its elements as required");
          }
        }
      }
      String[] path = shape.list().path();
      if (path.length == 1) { // a bare repeated field: no group, no entries for an empty list
        if (end > start) {
          consumer.startField(stored.getName(), column);
          for (int i = start; i < end; i++) {
            writeValue(elements, i, element);
          }
          consumer.endField(stored.getName(), column);
        }
        return;
      }
      consumer.startField(stored.getName(), column);
      consumer.startGroup();
      if (end > start) {
        consumer.startField(path[1], 0);
        for (int i = start; i < end; i++) {
          if (path.length == 2) {
            writeValue(elements, i, element);
            continue;
          }
          consumer.startGroup();
          if (!elements.isNull(i)) {
            consumer.startField(path[2], 0);
            writeValue(elements, i, element);
            consumer.endField(path[2], 0);
          }
          consumer.endGroup();
        }
        consumer.endField(path[1], 0);
      }
      consumer.endGroup();
      consumer.endField(stored.getName(), column);
    }

    private void writeValue(FieldVector vector, int row, PrimitiveType stored) {
      if (vector instanceof IntVector ints) {
        consumer.addInteger(ints.get(row));
      } else if (vector instanceof BigIntVector longs) {
        consumer.addLong(longs.get(row));
      } else if (vector instanceof Float4Vector floats) {
        consumer.addFloat(floats.get(row));
      } else if (vector instanceof Float8Vector doubles) {
        consumer.addDouble(doubles.get(row));
      } else if (vector instanceof VarCharVector strings) {
        consumer.addBinary(Binary.fromConstantByteArray(strings.get(row)));
      } else if (vector instanceof BitVector bits) {
        consumer.addBoolean(bits.get(row) != 0);
      } else if (vector instanceof VarBinaryVector binaries) {
        consumer.addBinary(Binary.fromConstantByteArray(binaries.get(row)));
      } else if (vector instanceof DecimalVector decimals) {
        writeDecimal(decimals.getObject(row).unscaledValue(), stored);
      } else if (vector instanceof DateDayVector dates) {
        consumer.addInteger(dates.get(row));
      } else if (vector instanceof TimeStampVector timestamps) {
        writeTimestamp(Timestamps.epochMicros(timestamps, row), stored);
      } else {
        throw new IllegalStateException("no Parquet writer for column " + vector.getField());
      }
    }

    /** An unscaled decimal in the stored encoding: INT32, INT64, or big-endian bytes. */
    private void writeDecimal(BigInteger unscaled, PrimitiveType stored) {
      switch (stored.getPrimitiveTypeName()) {
        case INT32 -> consumer.addInteger(unscaled.intValueExact());
        case INT64 -> consumer.addLong(unscaled.longValueExact());
        case FIXED_LEN_BYTE_ARRAY -> {
          byte[] minimal = unscaled.toByteArray();
          byte[] fixed = new byte[stored.getTypeLength()];
          byte fill = (byte) (unscaled.signum() < 0 ? -1 : 0);
          java.util.Arrays.fill(fixed, 0, fixed.length - minimal.length, fill);
          System.arraycopy(minimal, 0, fixed, fixed.length - minimal.length, minimal.length);
          consumer.addBinary(Binary.fromConstantByteArray(fixed));
        }
        default -> consumer.addBinary(Binary.fromConstantByteArray(unscaled.toByteArray()));
      }
    }

    /** Epoch microseconds in the stored encoding: INT64 of its unit, INT96, or DATE days. */
    private void writeTimestamp(long micros, PrimitiveType stored) {
      switch (stored.getPrimitiveTypeName()) {
        case INT96 -> consumer.addBinary(int96(micros));
        case INT32 -> consumer.addInteger(Math.toIntExact(Math.floorDiv(micros, MICROS_PER_DAY)));
        default -> {
          LogicalTypeAnnotation.TimeUnit unit =
              stored.getLogicalTypeAnnotation()
                      instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation timestamp
                  ? timestamp.getUnit()
                  : LogicalTypeAnnotation.TimeUnit.MICROS;
          consumer.addLong(
              switch (unit) {
                case MILLIS -> Math.floorDiv(micros, 1_000L);
                case MICROS -> micros;
                case NANOS -> Math.multiplyExact(micros, 1_000L);
              });
        }
      }
    }

    /** INT96: nanoseconds of the day, then the Julian day, little-endian. */
    private static Binary int96(long micros) {
      long day = Math.floorDiv(micros, MICROS_PER_DAY);
      long nanosOfDay = Math.floorMod(micros, MICROS_PER_DAY) * 1_000L;
      ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
      bytes.putLong(nanosOfDay).putInt(Math.toIntExact(day + JULIAN_EPOCH_DAY));
      return Binary.fromConstantByteArray(bytes.array());
    }
  }
}
