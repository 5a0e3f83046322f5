package dev.weft.accel.circulant.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * A trainable 2-D convolution that is block-circulant across channels (CirCNN): for every kernel
 * offset (a, b) the Cout×Cin matrix {@code W[:, :, a, b]} is ⌈Cout/k⌉×⌈Cin/k⌉ circulant blocks,
 * {@code W[co, ci, a, b] = w[co/k][ci/k][a][b][(co − ci) mod k]}. Stored as {@code blocks} [p, q,
 * kh, kw, k]: k× fewer weights than the dense kernel.
 *
 * <p>Forward: an FFT over each input channel group turns the channel mixing into, per frequency f,
 * an ordinary convolution of q channels to p with complex weights. All k/2+1 frequencies run as one
 * grouped convolution (groups = frequencies), real and imaginary parts as two of them; an inverse
 * FFT per output group gives the channels back. Everything is NDArray arithmetic, so DJL autograd
 * gives the gradients.
 */
public final class BlockCirculantConv2d extends AbstractBlock {

  private final int inChannels;
  private final int outChannels;
  private final int kernel;
  private final int k;
  private final int padding;
  private final Parameter blocks;
  private final Parameter bias;

  /**
   * @param kernel square kernel side
   * @param padding zero padding of each spatial side
   * @param channelPadding whether channel counts that k does not divide are zero-padded
   */
  public BlockCirculantConv2d(
      int inChannels, int outChannels, int kernel, int padding, int k, boolean channelPadding) {
    CirculantShapes.check("input channels", inChannels, k, channelPadding);
    CirculantShapes.check("output channels", outChannels, k, channelPadding);
    if (kernel < 1 || padding < 0) {
      throw new IllegalArgumentException("kernel " + kernel + " and padding " + padding);
    }
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernel = kernel;
    this.k = k;
    this.padding = padding;
    int p = CirculantShapes.blocks(outChannels, k);
    int q = CirculantShapes.blocks(inChannels, k);
    blocks =
        addParameter(
            Parameter.builder()
                .setName("blocks")
                .setType(Parameter.Type.WEIGHT)
                // Xavier's fan-in is q·kh·kw·k = Cin·kh·kw, as for the dense kernel.
                .optShape(new Shape(p, q, kernel, kernel, k))
                .optInitializer(new XavierInitializer())
                .build());
    bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optInitializer(Initializer.ZEROS)
                .optShape(new Shape(outChannels))
                .build());
  }

  public int blockSize() {
    return k;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape s = x.getShape();
    if (s.dimension() != 4 || s.get(1) != inChannels) {
      throw new IllegalArgumentException(
          "BlockCirculantConv2d input has shape " + s + "; expected [N, " + inChannels + ", H, W]");
    }
    long n = s.get(0);
    long h = s.get(2);
    long w = s.get(3);
    NDArray weights = store.getValue(blocks, x.getDevice(), training);
    long p = weights.getShape().get(0);
    long q = weights.getShape().get(1);
    long kf = k / 2 + 1;
    if (q * k != inChannels) {
      x = x.concat(x.getManager().zeros(new Shape(n, q * k - inChannels, h, w)), 1);
    }
    // [N, q, k, H, W] → spectrum over k → [N, kf, q, H, W] (frequency-major channel groups)
    NDArray xf = x.reshape(n, q, k, h, w).rfft(k, 2).real();
    NDArray xr = xf.get(new NDIndex("..., 0")).transpose(0, 2, 1, 3, 4).reshape(n, kf * q, h, w);
    NDArray xi = xf.get(new NDIndex("..., 1")).transpose(0, 2, 1, 3, 4).reshape(n, kf * q, h, w);
    // [p, q, kh, kw, k] → [kf·p, q, kh, kw] per part
    NDArray wf = weights.rfft(k, 4).real();
    NDArray wr = groupedKernel(wf.get(new NDIndex("..., 0")), p, q, kf);
    NDArray wi = groupedKernel(wf.get(new NDIndex("..., 1")), p, q, kf);
    // Both input parts through each weight part: conv([xr; xi], wr) and conv([xr; xi], wi).
    NDArray both = xr.concat(xi, 0);
    NDArray byWr = conv(both, wr, kf);
    NDArray byWi = conv(both, wi, kf);
    long rows = n;
    NDArray yr = byWr.get(new NDIndex("0:{}", rows)).sub(byWi.get(new NDIndex("{}:", rows)));
    NDArray yi = byWi.get(new NDIndex("0:{}", rows)).add(byWr.get(new NDIndex("{}:", rows)));
    long oh = yr.getShape().get(2);
    long ow = yr.getShape().get(3);
    // [N, kf·p, H', W'] → [N, p, H', W', kf]; the inverse real FFT as real products with its
    // cos/sin matrices (PyTorch cannot differentiate assembling a complex tensor from parts).
    NDArray[] basis = inverseBasis(x.getManager(), x.getDataType());
    NDArray y =
        yr.reshape(n, kf, p, oh, ow)
            .transpose(0, 2, 3, 4, 1)
            .matMul(basis[0])
            .sub(yi.reshape(n, kf, p, oh, ow).transpose(0, 2, 3, 4, 1).matMul(basis[1]))
            .transpose(0, 1, 4, 2, 3)
            .reshape(n, p * k, oh, ow);
    if (p * k != outChannels) {
      y = y.get(new NDIndex(":, 0:{}", outChannels));
    }
    NDArray b = store.getValue(bias, x.getDevice(), training);
    return new NDList(y.add(b.reshape(1, outChannels, 1, 1)));
  }

  /**
   * [C, S] ([kf, k] each) with irfft(Y)[t] = Σ_f Re(Y_f)·C[f][t] − Im(Y_f)·S[f][t]: C = c_f
   * cos(2πft/k)/k, S = c_f sin(2πft/k)/k, c_f = 1 for f = 0 and f = k/2, else 2.
   */
  private NDArray[] inverseBasis(
      ai.djl.ndarray.NDManager manager, ai.djl.ndarray.types.DataType type) {
    int kf = k / 2 + 1;
    double[] c = new double[kf * k];
    double[] sn = new double[kf * k];
    for (int f = 0; f < kf; f++) {
      double weight = (f == 0 || 2 * f == k) ? 1.0 / k : 2.0 / k;
      for (int t = 0; t < k; t++) {
        double angle = 2 * Math.PI * f * t / k;
        c[f * k + t] = weight * Math.cos(angle);
        sn[f * k + t] = weight * Math.sin(angle);
      }
    }
    Shape shape = new Shape(kf, k);
    return new NDArray[] {
      manager.create(c, shape).toType(type, false), manager.create(sn, shape).toType(type, false)
    };
  }

  private NDArray groupedKernel(NDArray part, long p, long q, long kf) {
    return part.transpose(4, 0, 1, 2, 3).reshape(kf * p, q, kernel, kernel);
  }

  private NDArray conv(NDArray input, NDArray weight, long groups) {
    return Conv2d.conv2d(
            input,
            weight,
            null,
            new Shape(1, 1),
            new Shape(padding, padding),
            new Shape(1, 1),
            (int) groups)
        .singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape s = inputs[0];
    long oh = s.get(2) + 2L * padding - kernel + 1;
    long ow = s.get(3) + 2L * padding - kernel + 1;
    return new Shape[] {new Shape(s.get(0), outChannels, oh, ow)};
  }
}
