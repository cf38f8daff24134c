package dev.flightdeck.backend.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import dev.flightdeck.retrieval.Timestamps;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.apache.arrow.adapter.jdbc.JdbcToArrowConfig;
import org.apache.arrow.adapter.jdbc.consumer.JdbcConsumer;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Reads result columns into Arrow vectors for {@code arrow-jdbc}'s iterator, one consumer per
 * served type. Timestamps keep their microseconds (the stock consumers keep milliseconds), with or
 * without a zone; zone-less values are UTC.
 */
final class ArrowConsumers {
  private ArrowConsumers() {}

  /** The {@link JdbcToArrowConfig.JdbcConsumerFactory} of Flightdeck's types. */
  static JdbcConsumer<?> create(
      ArrowType type, int column, boolean nullable, FieldVector vector, JdbcToArrowConfig config) {
    if (vector instanceof IntVector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            int value = rs.getInt(c);
            if (rs.wasNull()) {
              v.setNull(i);
            } else {
              ((IntVector) v).setSafe(i, value);
            }
          });
    }
    if (vector instanceof BigIntVector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            long value = rs.getLong(c);
            if (rs.wasNull()) {
              v.setNull(i);
            } else {
              ((BigIntVector) v).setSafe(i, value);
            }
          });
    }
    if (vector instanceof Float4Vector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            float value = rs.getFloat(c);
            if (rs.wasNull()) {
              v.setNull(i);
            } else {
              ((Float4Vector) v).setSafe(i, value);
            }
          });
    }
    if (vector instanceof Float8Vector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            double value = rs.getDouble(c);
            if (rs.wasNull()) {
              v.setNull(i);
            } else {
              ((Float8Vector) v).setSafe(i, value);
            }
          });
    }
    if (vector instanceof BitVector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            boolean value = rs.getBoolean(c);
            if (rs.wasNull()) {
              v.setNull(i);
            } else {
              ((BitVector) v).setSafe(i, value ? 1 : 0);
            }
          });
    }
    if (vector instanceof VarCharVector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            String value = rs.getString(c);
            if (value == null) {
              v.setNull(i);
            } else {
              ((VarCharVector) v).setSafe(i, value.getBytes(UTF_8));
            }
          });
    }
    if (vector instanceof VarBinaryVector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            byte[] value = rs.getBytes(c);
            if (value == null) {
              v.setNull(i);
            } else {
              ((VarBinaryVector) v).setSafe(i, value);
            }
          });
    }
    if (vector instanceof DecimalVector decimals) {
      int scale = decimals.getScale();
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            BigDecimal value = rs.getBigDecimal(c);
            if (value == null) {
              v.setNull(i);
            } else {
              ((DecimalVector) v).setSafe(i, value.setScale(scale, RoundingMode.HALF_EVEN));
            }
          });
    }
    if (vector instanceof TimeStampMicroTZVector) {
      return new Consumer(
          column,
          vector,
          (rs, c, v, i) -> {
            Object value = rs.getObject(c);
            if (value == null) {
              v.setNull(i);
            } else {
              ((TimeStampMicroTZVector) v).setSafe(i, Timestamps.toMicros(instant(value)));
            }
          });
    }
    throw new FlightdeckException(
        ErrorCode.INTERNAL_ERROR,
        "no JDBC reader for Arrow type " + type + " (column " + column + ")");
  }

  /** Any JDBC timestamp value as an instant; zone-less values are UTC. */
  static Instant instant(Object value) {
    if (value instanceof OffsetDateTime offset) {
      return offset.toInstant();
    }
    if (value instanceof ZonedDateTime zoned) {
      return zoned.toInstant();
    }
    if (value instanceof Instant instant) {
      return instant;
    }
    if (value instanceof LocalDateTime local) {
      return local.toInstant(ZoneOffset.UTC);
    }
    if (value instanceof Timestamp timestamp) {
      return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (value instanceof LocalDate date) {
      return date.atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    if (value instanceof java.sql.Date date) {
      return date.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
    }
    throw new FlightdeckException(
        ErrorCode.INVALID_DATA_SOURCE,
        "cannot read " + value.getClass().getName() + " '" + value + "' as a timestamp");
  }

  private interface Reader {
    void read(ResultSet resultSet, int column, FieldVector vector, int index) throws SQLException;
  }

  /** Reads one column of each row into the next slot of its vector. */
  private static final class Consumer implements JdbcConsumer<FieldVector> {
    private final int column;
    private final Reader reader;
    private FieldVector vector;
    private int index;

    Consumer(int column, FieldVector vector, Reader reader) {
      this.column = column;
      this.vector = vector;
      this.reader = reader;
    }

    @Override
    public void consume(ResultSet resultSet) throws SQLException {
      reader.read(resultSet, column, vector, index++);
    }

    @Override
    public void resetValueVector(FieldVector vector) {
      this.vector = vector;
      this.index = 0;
    }

    @Override
    public void close() {
      vector.close();
    }
  }
}
