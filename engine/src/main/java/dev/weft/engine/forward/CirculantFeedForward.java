package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.weft.engine.model.CirculantFfn;

/**
 * One layer's SwiGLU feed-forward with block-circulant matrices, holding only their weight spectra
 * (about k/2+1 complex values per k stored ones). Gate (w1) and up (w3) read the same input, so
 * their blocks are stacked into one matrix of 2·⌈h/k⌉ block rows: one product for both, as the
 * dense path fuses them. The RMSNorm weight cannot be folded into a circulant matrix's rows, so it
 * scales the input instead.
 */
final class CirculantFeedForward {

  private final int dim;
  private final int hidden;
  private final int k;
  private final long paddedHidden;
  private final NDArray normWeight;
  private final NDArray gateUpSpectra;
  private final NDArray downSpectra;

  CirculantFeedForward(
      NDManager manager, int dim, int hidden, CirculantFfn ffn, int layer, float[] rmsFfn) {
    this.dim = dim;
    this.hidden = hidden;
    this.k = ffn.blockSize();
    int p = CirculantFfn.blocks(hidden, k);
    int q = CirculantFfn.blocks(dim, k);
    this.paddedHidden = (long) p * k;
    this.normWeight = manager.create(rmsFfn);
    try (NDManager scratch = manager.newSubManager()) {
      NDArray gate = scratch.create(ffn.w1().get(layer), new Shape(p, q, k));
      NDArray up = scratch.create(ffn.w3().get(layer), new Shape(p, q, k));
      NDArray down = scratch.create(ffn.w2().get(layer), new Shape(q, p, k));
      gateUpSpectra = BlockCirculant.spectra(gate.concat(up, 0));
      downSpectra = BlockCirculant.spectra(down);
      gateUpSpectra.attach(manager);
      downSpectra.attach(manager);
    }
  }

  /** Gate and up projections of normalized rows {@code x}: [N, h] each. */
  NDArray[] gateUp(NDArray normalized) {
    int m = (int) (2 * paddedHidden);
    NDArray both = BlockCirculant.multiply(normalized.mul(normWeight), gateUpSpectra, m, dim, k);
    return new NDArray[] {
      both.get(new NDIndex(":, 0:{}", hidden)),
      both.get(new NDIndex(":, {}:{}", paddedHidden, paddedHidden + hidden))
    };
  }

  /** The down projection: [N, h] → [N, dim]. */
  NDArray down(NDArray activated) {
    return BlockCirculant.multiply(activated, downSpectra, dim, hidden, k);
  }
}
