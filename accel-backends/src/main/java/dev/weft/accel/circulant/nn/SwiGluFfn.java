package dev.weft.accel.circulant.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A Llama feed-forward block, {@code w2(silu(w1 x) ∘ w3 x)}, without biases, its three matrices
 * dense or block-circulant by {@link Layers#linear}. Children in the order w1, w3, w2; input rows
 * are the already normalized (RMSNorm with its weight) residual stream.
 */
public final class SwiGluFfn extends AbstractBlock {

  private final int dim;
  private final int hidden;
  private final Block w1;
  private final Block w3;
  private final Block w2;

  public SwiGluFfn(int dim, int hidden, int k) {
    this.dim = dim;
    this.hidden = hidden;
    w1 = addChildBlock("w1", Layers.linear(dim, hidden, k, false));
    w3 = addChildBlock("w3", Layers.linear(dim, hidden, k, false));
    w2 = addChildBlock("w2", Layers.linear(hidden, dim, k, false));
  }

  /** The gate (w1), up (w3) and down (w2) layers. */
  public Block[] layers() {
    return new Block[] {w1, w3, w2};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long n = inputShapes[0].get(0);
    w1.initialize(manager, dataType, new Shape(n, dim));
    w3.initialize(manager, dataType, new Shape(n, dim));
    w2.initialize(manager, dataType, new Shape(n, hidden));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    CirculantShapes.requireLast("feed-forward input", x.getShape(), dim);
    NDArray gate = w1.forward(store, new NDList(x), training).singletonOrThrow();
    NDArray up = w3.forward(store, new NDList(x), training).singletonOrThrow();
    NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);
    return w2.forward(store, new NDList(act), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    return new Shape[] {inputs[0]};
  }
}
