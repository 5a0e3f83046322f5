package dev.weft.accel.circulant.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import dev.weft.engine.forward.BlockCirculant;

/**
 * A trainable fully-connected layer whose out×in weight matrix is block-circulant (CirCNN): ⌈out/k⌉
 * × ⌈in/k⌉ blocks of k×k, each stored as its first column, so the layer holds about in·out/k
 * weights. The forward pass runs through {@link BlockCirculant} (real FFTs on NDArrays), so DJL
 * autograd differentiates it; the gradient of each block vector is the FFT formula of CirCNN's
 * backward pass.
 *
 * <p>Parameters: {@code blocks} [p, q, k] and {@code bias} [out]. The Xavier initializer sees
 * fan-in q·k and fan-out p·k (its receptive field is the last axis), the same as for the dense
 * matrix it replaces, so dense and circulant models start from equally scaled weights.
 */
public final class BlockCirculantLinear extends AbstractBlock {

  private final int in;
  private final int out;
  private final int k;
  private final Parameter blocks;
  private final Parameter bias;

  /**
   * @param padding whether sides that k does not divide are zero-padded to whole blocks; without it
   *     such a shape is an error
   */
  public BlockCirculantLinear(int in, int out, int k, boolean padding, boolean withBias) {
    CirculantShapes.check("in-features", in, k, padding);
    CirculantShapes.check("out-features", out, k, padding);
    this.in = in;
    this.out = out;
    this.k = k;
    int p = CirculantShapes.blocks(out, k);
    int q = CirculantShapes.blocks(in, k);
    blocks =
        addParameter(
            Parameter.builder()
                .setName("blocks")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(p, q, k))
                .optInitializer(new XavierInitializer())
                .build());
    bias =
        withBias
            ? addParameter(
                Parameter.builder()
                    .setName("bias")
                    .setType(Parameter.Type.BIAS)
                    .optInitializer(Initializer.ZEROS)
                    .optShape(new Shape(out))
                    .build())
            : null;
  }

  public int inFeatures() {
    return in;
  }

  public int outFeatures() {
    return out;
  }

  public int blockSize() {
    return k;
  }

  /** The block-vector parameter, [p, q, k]. */
  public Parameter blocks() {
    return blocks;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    CirculantShapes.requireLast("BlockCirculantLinear input", x.getShape(), in);
    NDArray w = store.getValue(blocks, x.getDevice(), training);
    NDArray y = BlockCirculant.multiply(x, BlockCirculant.spectra(w), out, in, k);
    if (bias != null) {
      y = y.add(store.getValue(bias, x.getDevice(), training));
    }
    return new NDList(y);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape s = inputs[0];
    return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
  }
}
