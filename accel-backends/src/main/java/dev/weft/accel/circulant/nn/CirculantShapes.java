package dev.weft.accel.circulant.nn;

import ai.djl.ndarray.types.Shape;

/** Shape checks shared by the block-circulant layers, with messages that name the problem. */
final class CirculantShapes {

  private CirculantShapes() {}

  static int blocks(int size, int k) {
    return (size + k - 1) / k;
  }

  /** Checks that a side of {@code size} can be cut into k-blocks. */
  static void check(String side, int size, int k, boolean padding) {
    if (k < 1) {
      throw new IllegalArgumentException("block size k must be >= 1, got " + k);
    }
    if (size < 1) {
      throw new IllegalArgumentException(side + " must be >= 1, got " + size);
    }
    if (!padding && size % k != 0) {
      throw new IllegalArgumentException(
          "block size k = "
              + k
              + " does not divide "
              + side
              + " = "
              + size
              + " and padding is off (turn padding on, or pick a k that divides it)");
    }
  }

  static void requireLast(String what, Shape shape, int size) {
    if (shape.dimension() < 1 || shape.get(shape.dimension() - 1) != size) {
      throw new IllegalArgumentException(
          what + " has shape " + shape + "; its last dimension must be " + size);
    }
  }
}
