package dev.flightdeck.backend.jdbc.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.flightdeck.backend.jdbc.Dialects;
import dev.flightdeck.backend.jdbc.JdbcBackendConfig;
import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestTrinoDialect {
  private final BufferAllocator allocator = new RootAllocator();
  private final List<FieldVector> vectors = new ArrayList<>();

  @AfterEach
  void close() {
    vectors.forEach(FieldVector::close);
    allocator.close();
  }

  @Test
  void serviceLoaderFindsItForTrinoUrls() {
    Dialects dialects = Dialects.load();
    assertThat(dialects.forUrl("jdbc:trino://coordinator:8080/hive/features").name())
        .isEqualTo("trino");
    assertThat(dialects.forUrl("jdbc:postgresql://db/features").name()).isEqualTo("postgresql");
  }

  @Test
  void everyKeyIsReadAndDefaultsAreDocumented() {
    JdbcBackendConfig config =
        JdbcBackendConfig.from(
            Map.of(
                "url", "jdbc:trino://c:8080/hive/features",
                "entity_schema", "memory.scratch",
                "staging_location", "file:///shared/staging",
                "staging_schema", "hive.staging",
                "staging_min_rows", "5000"),
            name -> null,
            Dialects.load());
    TrinoSettings settings = TrinoSettings.from(config.dialectSettings());
    assertThat(settings.entitySchema()).contains("memory.scratch");
    assertThat(settings.staging())
        .contains(
            new TrinoSettings.Staging(URI.create("file:///shared/staging"), "hive.staging", 5000));
    assertThat(settings.staging().orElseThrow().folder()).isEqualTo(Path.of("/shared/staging"));
    assertThat(settings.staging().orElseThrow().location("fd_entities_1"))
        .isEqualTo("file:///shared/staging/fd_entities_1");
    // A plain path is Trino's native local file system.
    assertThat(
            TrinoSettings.from(Map.of("staging_location", "/s", "staging_schema", "hive.s"))
                .staging()
                .orElseThrow()
                .location("t"))
        .isEqualTo("local:///s/t");

    TrinoSettings defaults = TrinoSettings.from(Map.of());
    assertThat(defaults.entitySchema()).isEmpty();
    assertThat(defaults.staging()).isEmpty();
    assertThat(
            TrinoSettings.from(Map.of("staging_location", "/s", "staging_schema", "hive.s"))
                .staging()
                .orElseThrow()
                .minRows())
        .isEqualTo(TrinoSettings.DEFAULT_STAGING_MIN_ROWS);
  }

  @Test
  void badSettingsAreNamed() {
    assertRefused(Map.of("entity_schema", "scratch"), "entity_schema must be catalog.schema");
    assertRefused(
        Map.of("entity_schema", "memory.x; DROP TABLE t"), "entity_schema must be catalog.schema");
    assertRefused(Map.of("staging_location", "/s"), "staging_location needs staging_schema");
    assertRefused(Map.of("staging_schema", "hive.s"), "staging_schema is set without");
    assertRefused(
        Map.of("staging_location", "relative/dir", "staging_schema", "hive.s"),
        "must be an absolute local folder, or a local: or file: URI of one, not 'relative/dir'");
    assertRefused(
        Map.of("staging_location", "s3://bucket/staging", "staging_schema", "hive.s"),
        "not 's3://bucket/staging'");
    assertRefused(
        Map.of("staging_location", "local:///a/../../etc", "staging_schema", "hive.s"),
        "not 'local:///a/../../etc'");
    assertRefused(
        Map.of("staging_location", "/s", "staging_schema", "hive.s", "staging_min_rows", "0"),
        "staging_min_rows must be a positive integer, not '0'");
  }

  @Test
  void valuesBecomeLiteralsThatCannotEscape() {
    VarCharVector strings = track(new VarCharVector("s", allocator));
    strings.allocateNew();
    strings.setSafe(0, "it's'); DROP TABLE t; --".getBytes(StandardCharsets.UTF_8));
    strings.setNull(1);
    strings.setValueCount(2);
    assertThat(literal(strings, 0)).isEqualTo("'it''s''); DROP TABLE t; --'");
    assertThat(literal(strings, 1)).isEqualTo("NULL");

    Float8Vector doubles = track(new Float8Vector("d", allocator));
    doubles.allocateNew(3);
    doubles.set(0, 0.1);
    doubles.set(1, Double.NaN);
    doubles.set(2, Double.NEGATIVE_INFINITY);
    doubles.setValueCount(3);
    assertThat(literal(doubles, 0)).isEqualTo("DOUBLE '0.1'");
    assertThat(literal(doubles, 1)).isEqualTo("CAST('NaN' AS DOUBLE)");
    assertThat(literal(doubles, 2)).isEqualTo("CAST('-Infinity' AS DOUBLE)");

    Float4Vector floats = track(new Float4Vector("f", allocator));
    floats.allocateNew(1);
    floats.set(0, 1.5f);
    floats.setValueCount(1);
    assertThat(literal(floats, 0)).isEqualTo("REAL '1.5'");

    TimeStampMicroTZVector timestamps = track(new TimeStampMicroTZVector("t", allocator, "UTC"));
    timestamps.allocateNew(1);
    timestamps.set(0, 1_704_103_200_000_001L);
    timestamps.setValueCount(1);
    assertThat(literal(timestamps, 0)).isEqualTo("TIMESTAMP '2024-01-01 10:00:00.000001'");

    VarBinaryVector bytes = track(new VarBinaryVector("b", allocator));
    bytes.allocateNew();
    bytes.setSafe(0, new byte[] {0, (byte) 0xff, 'x'});
    bytes.setValueCount(1);
    assertThat(literal(bytes, 0)).isEqualTo("X'00ff78'");

    BitVector bits = track(new BitVector("bool", allocator));
    bits.allocateNew(1);
    bits.set(0, 1);
    bits.setValueCount(1);
    assertThat(literal(bits, 0)).isEqualTo("TRUE");

    DecimalVector decimals = track(new DecimalVector("dec", allocator, 10, 2));
    decimals.allocateNew(1);
    decimals.set(0, new BigDecimal("-12.30"));
    decimals.setValueCount(1);
    assertThat(literal(decimals, 0)).isEqualTo("DECIMAL '-12.30'");
  }

  @Test
  void rowsAreCutIntoStatementsBelowTheQueryLengthLimit() throws Exception {
    BigIntVector keys = track(new BigIntVector("k", allocator));
    VarCharVector names = track(new VarCharVector("n", allocator));
    keys.allocateNew(1000);
    names.allocateNew();
    for (int row = 0; row < 1000; row++) {
      keys.set(row, row * 1_000_003L);
      names.setSafe(row, ("name-" + row).getBytes(StandardCharsets.UTF_8));
    }
    keys.setValueCount(1000);
    names.setValueCount(1000);
    List<String> statements = new ArrayList<>();
    Statement statement = mock(Statement.class);
    when(statement.executeUpdate(anyString()))
        .thenAnswer(
            call -> {
              statements.add(call.getArgument(0));
              return 0;
            });
    Connection connection = mock(Connection.class);
    when(connection.createStatement()).thenReturn(statement);

    new TrinoInsertLoader(new TrinoDialect(TrinoSettings.from(Map.of()))::sqlType, 4_000)
        .load(connection, "\"t\"", List.of("\"k\"", "\"n\""), List.of(keys, names), 1000);

    assertThat(statements).hasSizeGreaterThan(5);
    assertThat(statements).allSatisfy(sql -> assertThat(sql.length()).isLessThanOrEqualTo(4_000));
    assertThat(statements.get(0))
        .startsWith(
            "INSERT INTO \"t\" (\"k\", \"n\") SELECT * FROM UNNEST(CAST(ARRAY[0, 1000003, ");
    assertThat(statements.get(0)).contains("] AS ARRAY(BIGINT)), CAST(ARRAY['name-0', 'name-1', ");
    // Every row once, in order: the first array of each statement, concatenated.
    StringBuilder all = new StringBuilder();
    for (String sql : statements) {
      String keysArray = sql.substring(sql.indexOf("ARRAY[") + 6, sql.indexOf(']'));
      all.append(all.length() > 0 ? ", " : "").append(keysArray);
    }
    assertThat(all.toString().split(", ")).hasSize(1000).endsWith("999002997");
  }

  @Test
  void timestampsAreMicroseconds() {
    TrinoDialect dialect = new TrinoDialect(new TrinoSettings(Optional.empty(), Optional.empty()));
    assertThat(
            dialect.sqlType(
                new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MICROSECOND, "UTC")))
        .isEqualTo("TIMESTAMP(6)");
    assertThat(dialect.transactions()).isFalse();
  }

  private <T extends FieldVector> T track(T vector) {
    vectors.add(vector);
    return vector;
  }

  private static String literal(FieldVector vector, int row) {
    StringBuilder sql = new StringBuilder();
    TrinoLiterals.append(sql, vector, row);
    return sql.toString();
  }

  private static void assertRefused(Map<String, String> settings, String message) {
    assertThatThrownBy(() -> TrinoSettings.from(settings))
        .isInstanceOfSatisfying(
            FlightdeckException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIGURATION))
        .hasMessageContaining(message);
  }
}
