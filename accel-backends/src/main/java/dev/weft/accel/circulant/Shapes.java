package dev.weft.accel.circulant;

/** Argument checks every kernel shares, so the messages read the same on every backend. */
final class Shapes {

  private Shapes() {}

  static void check(String what, float[] a, int batch, int width) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1: " + batch);
    }
    if (a == null) {
      throw new IllegalArgumentException(what + " is null");
    }
    if (a.length != (long) batch * width) {
      throw new IllegalArgumentException(
          String.format(
              "%s has %d floats but batch %d x width %d = %d were expected",
              what, a.length, batch, width, (long) batch * width));
    }
  }

  static void forward(BlockCirculantMatrix w, float[] x, int batch) {
    check("input x (batch x n)", x, batch, w.cols());
  }

  static void backwardInput(BlockCirculantMatrix w, float[] dy, int batch) {
    check("gradient dy (batch x m)", dy, batch, w.rows());
  }

  static void backwardWeights(BlockCirculantMatrix w, float[] x, float[] dy, int batch) {
    forward(w, x, batch);
    backwardInput(w, dy, batch);
  }
}
