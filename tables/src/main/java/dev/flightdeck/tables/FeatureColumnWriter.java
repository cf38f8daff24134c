package dev.flightdeck.tables;

import dev.flightdeck.repository.ValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;

/**
 * Copies the current non-null value of a Parquet column reader into an Arrow vector of the declared
 * type.
 */
@FunctionalInterface
public interface FeatureColumnWriter {
  void write(ColumnReader reader, int index);

  /** A writer from {@code column} (already checked to match {@code type}) into {@code vector}. */
  public static FeatureColumnWriter create(
      ValueType type, ParquetColumn column, FieldVector vector) {
    switch (type.kind()) {
      case DECIMAL:
        {
          DecimalVector decimals = (DecimalVector) vector;
          int scale = type.scale();
          return switch (column.physical()) {
            case INT32 ->
                (reader, index) ->
                    decimals.setSafe(index, BigDecimal.valueOf(reader.getInteger(), scale));
            case INT64 ->
                (reader, index) ->
                    decimals.setSafe(index, BigDecimal.valueOf(reader.getLong(), scale));
            default ->
                (reader, index) ->
                    decimals.setSafe(
                        index,
                        new BigDecimal(new BigInteger(reader.getBinary().getBytesUnsafe()), scale));
          };
        }
      case INT32:
        {
          IntVector ints = (IntVector) vector;
          return (reader, index) -> ints.setSafe(index, reader.getInteger());
        }
      case INT64:
        {
          BigIntVector longs = (BigIntVector) vector;
          return (reader, index) -> longs.setSafe(index, reader.getLong());
        }
      case FLOAT32:
        {
          Float4Vector floats = (Float4Vector) vector;
          return (reader, index) -> floats.setSafe(index, reader.getFloat());
        }
      case FLOAT64:
        {
          Float8Vector doubles = (Float8Vector) vector;
          return (reader, index) -> doubles.setSafe(index, reader.getDouble());
        }
      case STRING:
        {
          VarCharVector strings = (VarCharVector) vector;
          return (reader, index) -> {
            byte[] bytes = reader.getBinary().getBytesUnsafe();
            strings.setSafe(index, bytes, 0, bytes.length);
          };
        }
      case BOOL:
        {
          BitVector bits = (BitVector) vector;
          return (reader, index) -> bits.setSafe(index, reader.getBoolean() ? 1 : 0);
        }
      case BYTES:
        {
          VarBinaryVector binaries = (VarBinaryVector) vector;
          return (reader, index) -> {
            byte[] bytes = reader.getBinary().getBytesUnsafe();
            binaries.setSafe(index, bytes, 0, bytes.length);
          };
        }
      case TIMESTAMP:
        {
          TimeStampVector timestamps = (TimeStampVector) vector;
          return (reader, index) -> timestamps.setSafe(index, timestampMicros(column, reader));
        }
      default:
        throw new IllegalArgumentException("unhandled value type " + type);
    }
  }

  /** Reads a timestamp column's current value in epoch microseconds. */
  public static long timestampMicros(ParquetColumn column, ColumnReader reader) {
    return switch (column.physical()) {
      case INT96 -> ParquetColumn.int96ToMicros(reader.getBinary());
      case INT32 -> column.toMicros(reader.getInteger()); // a DATE: days
      default -> column.toMicros(reader.getLong());
    };
  }

  /** Reads a join-key column's current value in the normalised form of {@code JoinKeys}. */
  public static Object joinKeyValue(ParquetColumn column, ColumnReader reader) {
    switch (column.physical()) {
      case INT32:
        return (long) reader.getInteger();
      case INT64:
        return reader.getLong();
      default:
        Binary binary = reader.getBinary();
        return binary.toStringUsingUTF8();
    }
  }
}
