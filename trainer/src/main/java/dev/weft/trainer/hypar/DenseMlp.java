package dev.weft.trainer.hypar;

import java.util.Random;

/**
 * The single-worker reference: a bias-free ReLU MLP with softmax cross-entropy averaged over the
 * batch, trained by plain SGD on one machine. Also the seeded weights and batches both it and the
 * partitioned workers start from. (HyPar's layers, like the paper's model, have no bias terms.)
 */
public final class DenseMlp {

  private final int[] widths;
  private final float[][] weights;
  private final float lr;

  public DenseMlp(int[] widths, long seed, float lr) {
    this.widths = widths.clone();
    this.weights = initialWeights(widths, seed);
    this.lr = lr;
  }

  /** Layer l's weights, {@code widths[l] x widths[l+1]} row-major, He-initialised from the seed. */
  public static float[][] initialWeights(int[] widths, long seed) {
    float[][] w = new float[widths.length - 1][];
    for (int l = 0; l < w.length; l++) {
      Random r = new Random(seed * 1_000_003L + l);
      double scale = Math.sqrt(2.0 / widths[l]);
      w[l] = new float[widths[l] * widths[l + 1]];
      for (int i = 0; i < w[l].length; i++) {
        w[l][i] = (float) (r.nextGaussian() * scale);
      }
    }
    return w;
  }

  /** Step {@code step}'s inputs, {@code batch x widths[0]}, standard normal. */
  public static float[] inputs(int[] widths, int batch, long seed, long step) {
    Random r = new Random(seed * 7_919L + step * 104_729L + 1);
    float[] x = new float[batch * widths[0]];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }

  /** Step {@code step}'s labels, uniform over the classes. */
  public static int[] labels(int[] widths, int batch, long seed, long step) {
    Random r = new Random(seed * 15_485_863L + step * 32_452_843L + 2);
    int[] y = new int[batch];
    for (int i = 0; i < batch; i++) {
      y[i] = r.nextInt(widths[widths.length - 1]);
    }
    return y;
  }

  /** One SGD step on the whole batch; returns every layer's weight gradient before the update. */
  public float[][] step(float[] x, int[] labels) {
    int batch = labels.length;
    int n = weights.length;
    float[][] acts = new float[n][];
    acts[0] = x;
    float[] z = null;
    for (int l = 0; l < n; l++) {
      z = matmul(acts[l], weights[l], batch, widths[l], widths[l + 1]);
      if (l < n - 1) {
        for (int i = 0; i < z.length; i++) {
          z[i] = Math.max(0f, z[i]);
        }
        acts[l + 1] = z;
      }
    }
    float[] e = softmaxGrad(z, labels, batch, widths[n], batch);
    float[][] grads = new float[n][];
    for (int l = n - 1; l >= 0; l--) {
      grads[l] = matmulTa(acts[l], e, batch, widths[l], widths[l + 1]);
      if (l > 0) {
        float[] dx = matmulTb(e, weights[l], batch, widths[l + 1], widths[l]);
        for (int i = 0; i < dx.length; i++) {
          if (acts[l][i] <= 0) {
            dx[i] = 0;
          }
        }
        e = dx;
      }
      for (int i = 0; i < weights[l].length; i++) {
        weights[l][i] -= lr * grads[l][i];
      }
    }
    return grads;
  }

  /** {@code a[m x k] * b[k x n]}, accumulating in double. */
  static float[] matmul(float[] a, float[] b, int m, int k, int n) {
    float[] c = new float[m * n];
    double[] row = new double[n];
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(row, 0);
      for (int p = 0; p < k; p++) {
        double v = a[i * k + p];
        if (v == 0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          row[j] += v * b[p * n + j];
        }
      }
      for (int j = 0; j < n; j++) {
        c[i * n + j] = (float) row[j];
      }
    }
    return c;
  }

  /** {@code a[m x k]ᵀ * b[m x n]} = {@code k x n}. */
  static float[] matmulTa(float[] a, float[] b, int m, int k, int n) {
    double[] c = new double[k * n];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double v = a[i * k + p];
        if (v == 0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          c[p * n + j] += v * b[i * n + j];
        }
      }
    }
    float[] out = new float[k * n];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) c[i];
    }
    return out;
  }

  /** {@code a[m x n] * b[k x n]ᵀ} = {@code m x k}. */
  static float[] matmulTb(float[] a, float[] b, int m, int n, int k) {
    float[] c = new float[m * k];
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += (double) a[i * n + j] * b[p * n + j];
        }
        c[i * k + p] = (float) s;
      }
    }
    return c;
  }

  /**
   * (softmax(z) − onehot) / totalBatch for {@code rows} rows of logits {@code z[rows x classes]};
   * {@code labels} are those rows' labels.
   */
  static float[] softmaxGrad(float[] z, int[] labels, int rows, int classes, int totalBatch) {
    float[] e = new float[rows * classes];
    for (int i = 0; i < rows; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, z[i * classes + j]);
      }
      double sum = 0;
      for (int j = 0; j < classes; j++) {
        sum += Math.exp(z[i * classes + j] - max);
      }
      for (int j = 0; j < classes; j++) {
        double p = Math.exp(z[i * classes + j] - max) / sum;
        e[i * classes + j] = (float) ((p - (labels[i] == j ? 1 : 0)) / totalBatch);
      }
    }
    return e;
  }
}
