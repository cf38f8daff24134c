package dev.flightdeck.backend.file;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.Timestamps;
import java.io.IOException;
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
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
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
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes an Arrow table to one Parquet file: int32, int64, float32, float64, utf8, bool, binary and
 * timestamps (any unit and zone, stored as {@code INT64 TIMESTAMP(MICROS, UTC)}), all optional so
 * nulls survive. The file appears whole or not at all: it is written beside its target and renamed.
 */
public final class ParquetTableWriter {
  /** Parquet's usual row group size. */
  public static final long DEFAULT_ROW_GROUP_BYTES = ParquetWriter.DEFAULT_BLOCK_SIZE;

  private ParquetTableWriter() {}

  public static void write(VectorSchemaRoot table, Path file) {
    write(table, file, DEFAULT_ROW_GROUP_BYTES);
  }

  /**
   * Writes with a row group size in bytes; small sizes make many row groups (Parquet checks every
   * 100 rows at the soonest).
   */
  public static void write(VectorSchemaRoot table, Path file, long rowGroupBytes) {
    MessageType schema = parquetSchema(table);
    Path folder = file.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      Files.createDirectories(folder);
      // Hidden name: folder readers skip it, so a half-written file is never read. Not
      // createTempFile:
      // its owner-only permissions would survive the rename and hide the data from other readers.
      temporary = folder.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
      try (ParquetWriter<Integer> writer =
          new Builder(new LocalOutputFile(temporary), table, schema)
              .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
              .withRowGroupSize(rowGroupBytes)
              .build()) {
        for (int row = 0; row < table.getRowCount(); row++) {
          writer.write(row);
        }
      }
      moveIntoPlace(temporary, file);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temporary, e);
      if (e instanceof FlightdeckException flightdeck) {
        throw flightdeck;
      }
      throw new FlightdeckException(
          ErrorCode.BACKEND_FAILURE,
          "writing Parquet file " + file + " failed: " + e.getMessage(),
          e);
    }
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
  public static MessageType parquetSchema(VectorSchemaRoot table) {
    List<Type> fields = new ArrayList<>();
    for (Field field : table.getSchema().getFields()) {
      fields.add(parquetField(field));
    }
    return new MessageType("schema", fields);
  }

  private static Type parquetField(Field field) {
    ArrowType type = field.getType();
    String name = field.getName();
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
    if (type instanceof ArrowType.Timestamp) {
      return Types.optional(PrimitiveTypeName.INT64)
          .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
          .named(name);
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_PARAMETER,
        "column '"
            + name
            + "' has Arrow type "
            + type
            + ", which the Parquet writer does not support (int32, int64, float32, float64, utf8, bool, binary, timestamp)");
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final VectorSchemaRoot table;
    private final MessageType schema;

    Builder(OutputFile file, VectorSchemaRoot table, MessageType schema) {
      super(file);
      this.table = table;
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(table, schema);
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(ParquetConfiguration conf) {
      return new RowWriteSupport(table, schema);
    }
  }

  /** Writes row {@code i} of the table; the "record" is the row index. */
  private static final class RowWriteSupport extends WriteSupport<Integer> {
    private final VectorSchemaRoot table;
    private final MessageType schema;
    private RecordConsumer consumer;

    RowWriteSupport(VectorSchemaRoot table, MessageType schema) {
      this.table = table;
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
      List<FieldVector> vectors = table.getFieldVectors();
      for (int column = 0; column < vectors.size(); column++) {
        FieldVector vector = vectors.get(column);
        if (vector.isNull(row)) {
          continue;
        }
        String name = vector.getField().getName();
        consumer.startField(name, column);
        writeValue(vector, row);
        consumer.endField(name, column);
      }
      consumer.endMessage();
    }

    private void writeValue(FieldVector vector, int row) {
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
      } else if (vector instanceof TimeStampVector timestamps) {
        consumer.addLong(Timestamps.epochMicros(timestamps, row));
      } else {
        throw new IllegalStateException("no Parquet writer for column " + vector.getField());
      }
    }
  }
}
