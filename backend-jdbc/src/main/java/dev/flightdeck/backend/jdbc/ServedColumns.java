package dev.flightdeck.backend.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Columns a database exported as Arrow, turned into the types Flightdeck serves ({@link SqlTypes}):
 * a column already of its served type moves as it is (no copy); any other is converted value by
 * value, e.g. {@code SMALLINT}'s int16 to int32, {@code DATE} to timestamp[us, UTC], a timestamp of
 * another unit or zone to microseconds in UTC, a decimal to the served scale, a large or view
 * string to utf8.
 */
final class ServedColumns {
  private static final long DAY_MICROS = 86_400_000_000L;

  private ServedColumns() {}

  /**
   * A new vector of type {@code served} with the values of {@code from}, owned by the caller;
   * {@code from} may be emptied. {@code column} names the column in messages.
   */
  static FieldVector serve(
      FieldVector from, ArrowType served, BufferAllocator allocator, String column) {
    if (from.getField().getType().equals(served)) {
      TransferPair transfer = from.getTransferPair(allocator);
      transfer.transfer();
      return (FieldVector) transfer.getTo();
    }
    int rows = from.getValueCount();
    FieldVector to =
        new Field(from.getName(), FieldType.nullable(served), null).createVector(allocator);
    try {
      to.setInitialCapacity(rows);
      to.allocateNew();
      Copier copier = copier(from, to, served, column);
      for (int row = 0; row < rows; row++) {
        if (from.isNull(row)) {
          to.setNull(row);
        } else {
          copier.copy(row);
        }
      }
      to.setValueCount(rows);
      return to;
    } catch (RuntimeException e) {
      to.close();
      throw e;
    }
  }

  private interface Copier {
    void copy(int row);
  }

  private static Copier copier(FieldVector from, FieldVector to, ArrowType served, String column) {
    if (served instanceof ArrowType.Int && from instanceof BaseIntVector ints) {
      BaseIntVector target = (BaseIntVector) to;
      return row -> target.setWithPossibleTruncate(row, ints.getValueAsLong(row));
    }
    if (served instanceof ArrowType.FloatingPoint && from instanceof FloatingPointVector floats) {
      FloatingPointVector target = (FloatingPointVector) to;
      return row -> target.setWithPossibleTruncate(row, floats.getValueAsDouble(row));
    }
    if (served instanceof ArrowType.Timestamp timestamp
        && timestamp.getUnit() == TimeUnit.MICROSECOND
        && to instanceof TimeStampMicroTZVector target) {
      if (from instanceof TimeStampVector times) {
        return row -> target.set(row, Timestamps.epochMicros(times, row));
      }
      if (from instanceof DateDayVector days) {
        return row -> target.set(row, Math.multiplyExact(days.get(row), DAY_MICROS));
      }
      if (from instanceof DateMilliVector millis) {
        return row -> target.set(row, Math.multiplyExact(millis.get(row), 1_000L));
      }
    }
    if (served instanceof ArrowType.Decimal decimal && from instanceof DecimalVector decimals) {
      DecimalVector target = (DecimalVector) to;
      int scale = decimal.getScale();
      return row -> {
        BigDecimal value = decimals.getObject(row);
        target.setSafe(row, value.setScale(scale, RoundingMode.HALF_EVEN));
      };
    }
    if (served instanceof ArrowType.Utf8
        && (from instanceof BaseLargeVariableWidthVector
            || from instanceof BaseVariableWidthViewVector)) {
      VarCharVector target = (VarCharVector) to;
      return row -> target.setSafe(row, from.getObject(row).toString().getBytes(UTF_8));
    }
    if (served instanceof ArrowType.Binary
        && (from instanceof BaseLargeVariableWidthVector
            || from instanceof BaseVariableWidthViewVector
            || from instanceof FixedSizeBinaryVector)) {
      VarBinaryVector target = (VarBinaryVector) to;
      return row -> target.setSafe(row, (byte[]) from.getObject(row));
    }
    if (from.getField().getType() instanceof ArrowType.Null) {
      return row -> to.setNull(row);
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_DATA_SOURCE,
        "column '"
            + column
            + "' comes from the database as Arrow "
            + from.getField().getType()
            + ", which Flightdeck cannot serve as "
            + served);
  }
}
