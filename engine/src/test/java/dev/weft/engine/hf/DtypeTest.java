package dev.weft.engine.hf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DtypeTest {

  @Test
  void everyHalfSurvivesARoundTripThroughFloat() {
    for (int h = 0; h < 0x10000; h++) {
      float f = Dtype.halfToFloat(h);
      if (Float.isNaN(f)) {
        assertThat((h >>> 10) & 0x1f).isEqualTo(0x1f);
        assertThat(Float.isNaN(Dtype.halfToFloat(Dtype.floatToHalf(f)))).isTrue();
      } else {
        assertThat(Dtype.floatToHalf(f) & 0xffff).as("half 0x%04x = %s", h, f).isEqualTo(h);
      }
    }
  }

  @Test
  void halvesHaveTheirIeeeValues() {
    assertThat(Dtype.halfToFloat(0x3c00)).isEqualTo(1.0f);
    assertThat(Dtype.halfToFloat(0xc000)).isEqualTo(-2.0f);
    assertThat(Dtype.halfToFloat(0x7bff)).isEqualTo(65504f);
    assertThat(Dtype.halfToFloat(0x0001)).isEqualTo(0x1p-24f);
    assertThat(Dtype.halfToFloat(0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    // Rounding: 1 + 2^-11 is halfway between 1 and the next half; ties go to even (1).
    assertThat(Dtype.floatToHalf(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
    assertThat(Dtype.floatToHalf(1f + 0x1p-11f + 0x1p-20f)).isEqualTo((short) 0x3c01);
    assertThat(Dtype.floatToHalf(1e6f)).isEqualTo((short) 0x7c00);
    assertThat(Dtype.floatToHalf(0x1p-26f)).isEqualTo((short) 0);
  }

  @Test
  void bfloat16KeepsTheTopHalfOfAFloatRoundedToNearestEven() {
    assertThat(Dtype.bf16ToFloat(0x3f80)).isEqualTo(1.0f);
    assertThat(Dtype.floatToBf16(1.0f)).isEqualTo((short) 0x3f80);
    // 1 + 2^-8 is halfway between two bfloat16 values: ties to even.
    assertThat(Dtype.floatToBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
    assertThat(Dtype.floatToBf16(1f + 0x1p-8f + 0x1p-16f)).isEqualTo((short) 0x3f81);
    assertThat(Float.isNaN(Dtype.bf16ToFloat(Dtype.floatToBf16(Float.NaN)))).isTrue();
    for (int b = 0; b < 0x10000; b++) {
      float f = Dtype.bf16ToFloat(b);
      if (!Float.isNaN(f)) {
        assertThat(Dtype.floatToBf16(f) & 0xffff).isEqualTo(b);
      }
    }
  }
}
