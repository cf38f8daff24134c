package dev.flightdeck.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flightdeck.error.ErrorCode;
import dev.flightdeck.error.FlightdeckException;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Test;

class TestValueType {
  @Test
  void everyDtypeParsesBackToItself() {
    for (ValueType type : ValueType.scalars()) {
      assertThat(ValueType.fromDtype(type.dtype())).isEqualTo(type);
    }
    for (ValueType type : ValueType.lists()) {
      assertThat(ValueType.fromDtype(type.dtype())).isEqualTo(type);
    }
    assertThat(ValueType.fromDtype("decimal(10, 2)")).isEqualTo(ValueType.decimal(10, 2));
  }

  @Test
  void listDtypesUseFeastsSpelling() {
    assertThat(ValueType.lists())
        .extracting(ValueType::dtype)
        .containsExactly(
            "Array(Int32)",
            "Array(Int64)",
            "Array(Float32)",
            "Array(Float64)",
            "Array(String)",
            "Array(Bool)",
            "Array(Bytes)",
            "Array(UnixTimestamp)");
    assertThat(ValueType.fromDtype("Array(Float32)"))
        .isEqualTo(ValueType.listOf(ValueType.FLOAT32));
    assertThat(ValueType.fromDtype("Array(UnixTimestamp)").element())
        .isEqualTo(ValueType.TIMESTAMP);
  }

  @Test
  void otherListSpellingsNameTheAllowedForms() {
    for (String dtype :
        List.of(
            "array<float32>", "Array(float32)", "list<float>", "ARRAY(Float32)", "Array[Int64]")) {
      assertThatThrownBy(() -> ValueType.fromDtype(dtype))
          .isInstanceOfSatisfying(
              FlightdeckException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REPOSITORY))
          .hasMessageContaining("'" + dtype + "'")
          .hasMessageContaining("list dtypes are written as in Feast")
          .hasMessageContaining("Array(Float32)")
          .hasMessageContaining("Array(UnixTimestamp)");
    }
    assertThatThrownBy(() -> ValueType.fromDtype("Array(Array(Int64))"))
        .hasMessageContaining("list dtypes are written as in Feast");
    assertThatThrownBy(() -> ValueType.fromDtype("float16"))
        .hasMessageContaining("unknown dtype 'float16' (known: int32,")
        .hasMessageContaining("decimal(p,s), Array(Int32)");
  }

  @Test
  void listsOfListsAndOfDecimalsAreNotTypes() {
    assertThatThrownBy(() -> ValueType.listOf(ValueType.listOf(ValueType.INT64)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ValueType.listOf(ValueType.decimal(10, 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListIsAnArrowListOfNullableElements() {
    Field field = ValueType.fromDtype("Array(Float32)").field("embedding");

    assertThat(field.getType()).isEqualTo(ArrowType.List.INSTANCE);
    assertThat(field.isNullable()).isTrue();
    assertThat(field.getChildren())
        .containsExactly(
            Field.nullable("item", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
    assertThat(TypeNames.of(field)).isEqualTo("Array(Float32)");
  }

  @Test
  void aListMatchesWhateverItsElementIsNamed() {
    ValueType floats = ValueType.listOf(ValueType.FLOAT32);
    Field pyarrow =
        new Field(
            "embedding",
            FieldType.nullable(ArrowType.List.INSTANCE),
            List.of(
                Field.nullable(
                    "element", new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE))));
    Field doubles = ValueType.listOf(ValueType.FLOAT64).field("embedding");

    assertThat(floats.matches(pyarrow)).isTrue();
    assertThat(floats.matches(doubles)).isFalse();
    assertThat(floats.matches(ValueType.FLOAT32.field("embedding"))).isFalse();
    assertThat(TypeNames.of(doubles)).isEqualTo("Array(Float64)");
    assertThat(
            TypeNames.of(
                new Field(
                    "x",
                    FieldType.nullable(ArrowType.List.INSTANCE),
                    List.of(Field.nullable("item", new ArrowType.Int(8, false))))))
        .isEqualTo("list<uint8>");
  }
}
