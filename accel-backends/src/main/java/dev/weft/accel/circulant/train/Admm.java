package dev.weft.accel.circulant.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * E-RNN's ADMM toward the block-circulant set for the compressed matrices W of a dense model:
 * training minimizes f(W) + (ρ/2)‖W − Z + U‖² (the {@link #penalty}); every few steps {@link
 * #update} sets Z ← Π(W + U) and U ← U + W − Z. ρ grows by {@code rhoGrowth} per update, so W is
 * pulled ever closer to its projection before the hard projection. U is the scaled dual (λ/ρ), so
 * when ρ grows U shrinks by the same factor (Boyd et al., "Distributed Optimization ... ADMM",
 * §3.4.1); without that the dual term ρU grows with ρ and pushes W past Z.
 */
final class Admm implements AutoCloseable {

  private final NDManager manager;
  private final List<Compression.Pair> pairs = new ArrayList<>();
  private final List<NDArray> zMinusU = new ArrayList<>();
  private final List<float[]> u = new ArrayList<>();
  private double rho;
  private final double rhoGrowth;

  Admm(NDManager parent, List<Compression.Pair> all, double rho, double rhoGrowth) {
    this.manager = parent.newSubManager();
    this.rho = rho;
    this.rhoGrowth = rhoGrowth;
    for (Compression.Pair p : all) {
      if (p.compressed()) {
        pairs.add(p);
        u.add(new float[(int) p.dense().getArray().size()]);
        zMinusU.add(null);
      }
    }
    refresh();
  }

  /**
   * (ρ/2) Σ ‖W − (Z − U)‖², attached to {@code w}'s graph. Every intermediate belongs to {@code
   * step}: an op's result lands in its first operand's manager, which for W is the model's, so
   * {@code w.sub(..)} left two W-sized arrays per matrix behind every step (20 GB by the end of a
   * 784-1024-512 MLP's ADMM phase).
   */
  NDArray penalty(NDManager step) {
    NDArray total = step.zeros(new ai.djl.ndarray.types.Shape());
    for (int i = 0; i < pairs.size(); i++) {
      NDArray w = pairs.get(i).dense().getArray();
      NDArray diff = w.sub(zMinusU.get(i));
      diff.attach(step);
      total = total.add(diff.square().sum());
    }
    // A tensor in step, not mul(double): autograd keeps the scalar for the backward pass, and the
    // one DJL makes for mul(double) is closed (its buffer then freed by the collector) before that.
    return total.mul(step.create((float) (rho / 2)));
  }

  /**
   * Z ← Π(W + U), U ← U + W − Z; then ρ grows and U is rescaled to keep λ = ρU. Returns ‖W − Z‖ /
   * ‖W‖ (relative gap).
   */
  double update() {
    rho *= rhoGrowth;
    return refresh(1 / rhoGrowth);
  }

  /** The start: Z = Π(W), U = 0 (a dual step here would aim W at 2Π(W) − W, past the set). */
  private double refresh() {
    return refresh(0);
  }

  /**
   * Z ← Π(W + U) and the new U, (U + W − Z) times {@code uScale}: ρ_old / ρ_new after ρ has grown,
   * 0 at the start.
   */
  private double refresh(double uScale) {
    double gap = 0;
    double norm = 0;
    for (int i = 0; i < pairs.size(); i++) {
      Compression.Pair p = pairs.get(i);
      float[] w = p.dense().getArray().toFloatArray();
      float[] ui = u.get(i);
      float[] wu = new float[w.length];
      for (int j = 0; j < w.length; j++) {
        wu[j] = w[j] + ui[j];
      }
      float[] z =
          CirculantProjection.expandKernel(
              CirculantProjection.projectKernel(wu, p.m(), p.n(), p.taps(), p.k()),
              p.m(),
              p.n(),
              p.taps(),
              p.k());
      float[] target = new float[w.length];
      for (int j = 0; j < w.length; j++) {
        gap += (double) (w[j] - z[j]) * (w[j] - z[j]);
        norm += (double) w[j] * w[j];
        ui[j] = (float) ((ui[j] + w[j] - z[j]) * uScale);
        target[j] = z[j] - ui[j];
      }
      if (zMinusU.get(i) != null) {
        zMinusU.get(i).close();
      }
      zMinusU.set(i, manager.create(target, p.dense().getArray().getShape()));
    }
    return norm == 0 ? 0 : Math.sqrt(gap / norm);
  }

  @Override
  public void close() {
    manager.close();
  }
}
