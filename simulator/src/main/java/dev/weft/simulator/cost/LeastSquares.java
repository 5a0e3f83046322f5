package dev.weft.simulator.cost;

/** Weighted linear least squares through the normal equations (few features, many rows). */
final class LeastSquares {
  private LeastSquares() {}

  /**
   * Coefficients minimising {@code sum w_i (x_i . c - y_i)^2}; a tiny ridge keeps unused (all-zero)
   * features at zero instead of making the system singular.
   */
  static double[] fit(double[][] x, double[] y, double[] w) {
    int k = x[0].length;
    double[][] a = new double[k][k + 1];
    for (int i = 0; i < x.length; i++) {
      for (int r = 0; r < k; r++) {
        for (int c = 0; c < k; c++) {
          a[r][c] += w[i] * x[i][r] * x[i][c];
        }
        a[r][k] += w[i] * x[i][r] * y[i];
      }
    }
    for (int r = 0; r < k; r++) {
      a[r][r] += 1e-9 * (a[r][r] + 1e-30);
    }
    for (int p = 0; p < k; p++) {
      int best = p;
      for (int r = p + 1; r < k; r++) {
        if (Math.abs(a[r][p]) > Math.abs(a[best][p])) {
          best = r;
        }
      }
      double[] t = a[p];
      a[p] = a[best];
      a[best] = t;
      if (a[p][p] == 0) {
        continue;
      }
      for (int r = 0; r < k; r++) {
        if (r != p) {
          double f = a[r][p] / a[p][p];
          for (int c = p; c <= k; c++) {
            a[r][c] -= f * a[p][c];
          }
        }
      }
    }
    double[] coef = new double[k];
    for (int r = 0; r < k; r++) {
      coef[r] = a[r][r] == 0 ? 0 : a[r][k] / a[r][r];
    }
    return coef;
  }
}
