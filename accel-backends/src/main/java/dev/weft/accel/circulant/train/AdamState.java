package dev.weft.accel.circulant.train;

/**
 * Adam (Kingma and Ba) on one flat float vector held on the host, for parameters whose update is
 * not a plain tensor step (block vectors expanded into a dense tensor, ADMM-penalized matrices).
 */
final class AdamState {

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  private final float[] m;
  private final float[] v;
  private int t;

  AdamState(int size) {
    m = new float[size];
    v = new float[size];
  }

  /** w ← w − lr·m̂/(√v̂ + ε) for gradient g, in place. */
  void step(float[] w, float[] g, double lr) {
    if (w.length != m.length || g.length != m.length) {
      throw new IllegalArgumentException(
          "Adam state for " + m.length + " values got " + w.length + " weights, " + g.length);
    }
    t++;
    double c1 = 1 - Math.pow(BETA1, t);
    double c2 = 1 - Math.pow(BETA2, t);
    for (int i = 0; i < w.length; i++) {
      m[i] = (float) (BETA1 * m[i] + (1 - BETA1) * g[i]);
      v[i] = (float) (BETA2 * v[i] + (1 - BETA2) * g[i] * g[i]);
      w[i] -= (float) (lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + EPS));
    }
  }
}
