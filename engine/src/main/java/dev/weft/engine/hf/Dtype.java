package dev.weft.engine.hf;

import java.util.Optional;

/**
 * The element types a safetensors header may name, with their sizes. Weft computes in float32, so
 * only {@link #F32}, {@link #F16} and {@link #BF16} are readable as weights; the others are known
 * so that a file holding them is still validated (sizes and offsets) and reported by name.
 */
public enum Dtype {
  BOOL(1),
  U8(1),
  I8(1),
  F8_E5M2(1),
  F8_E4M3(1),
  I16(2),
  U16(2),
  F16(2),
  BF16(2),
  I32(4),
  U32(4),
  F32(4),
  I64(8),
  U64(8),
  F64(8);

  private final int bytes;

  Dtype(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** Whether Weft can read (and write) this type as float32 values. */
  public boolean isFloatWeight() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** The type spelled as in a safetensors header, if it is one. */
  public static Optional<Dtype> parse(String name) {
    for (Dtype d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** IEEE binary16 bits to float; exact, as every half is a float. */
  static float halfToFloat(int half) {
    int sign = (half & 0x8000) << 16;
    int exp = (half >>> 10) & 0x1f;
    int mant = half & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      // Zero or subnormal: mant * 2^-24, exact in float.
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** Float to IEEE binary16 bits, rounding to nearest even; overflow gives infinity. */
  static short floatToHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      // Subnormal half: the full significand shifted so one unit is 2^-24.
      int full = mant | 0x800000;
      int shift = 14 - e;
      return (short) (sign | roundShift(full, shift));
    }
    // A carry out of the mantissa correctly bumps the exponent (up to infinity).
    return (short) (sign | ((e << 10) + roundShift(mant, 13)));
  }

  /** {@code value >> shift}, rounded to nearest, ties to even. */
  private static int roundShift(int value, int shift) {
    int kept = value >>> shift;
    int rest = value & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (kept & 1) == 1)) {
      kept++;
    }
    return kept;
  }

  /** bfloat16 bits to float: the top half of a float. */
  static float bf16ToFloat(int bf16) {
    return Float.intBitsToFloat((bf16 & 0xffff) << 16);
  }

  /** Float to bfloat16 bits, rounding to nearest even; NaN stays a (quiet) NaN. */
  static short floatToBf16(float value) {
    int bits = Float.floatToRawIntBits(value);
    if (Float.isNaN(value)) {
      return (short) ((bits >>> 16) | 0x40);
    }
    return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
  }
}
