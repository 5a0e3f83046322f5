package dev.weft.accel.circulant.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.weft.accel.circulant.train.CirculantProjection;
import dev.weft.accel.circulant.train.Compression;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The trainable block-circulant layers against the same layers built dense with the expanded
 * weights (outputs and autograd gradients), and against finite differences.
 */
class CirculantLayersTest {

  /** Initializes a dense and a circulant build, then gives the dense one the expanded weights. */
  static void tie(NDManager manager, Block dense, Block circulant, Shape input, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    dense.initialize(manager, DataType.FLOAT32, input);
    circulant.initialize(manager, DataType.FLOAT32, input);
    Random random = new Random(seed);
    for (Compression.Pair p : Compression.pairs(dense, circulant)) {
      NDArray c = p.circulant().getArray();
      float[] values = gaussian(random, (int) c.size(), 0.3);
      c.set(values);
      p.dense()
          .getArray()
          .set(
              p.compressed()
                  ? CirculantProjection.expandKernel(values, p.m(), p.n(), p.taps(), p.k())
                  : values);
    }
    for (Block b : List.of(dense, circulant)) {
      b.getParameters().forEach(q -> q.getValue().getArray().setRequiresGradient(true));
    }
  }

  /** Output and input gradient of {@code block} for input {@code x} and upstream {@code g}. */
  static float[][] run(NDManager manager, Block block, float[] x, Shape shape, long seed) {
    try (NDManager scope = manager.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray in = scope.create(x, shape);
      in.setRequiresGradient(true);
      NDArray y = block.forward(new ParameterStore(scope, false), new NDList(in), true).head();
      NDArray g = scope.create(gaussian(new Random(seed), (int) y.size(), 1), y.getShape());
      gc.backward(y.mul(g).sum());
      return new float[][] {y.toFloatArray(), in.getGradient().toFloatArray()};
    }
  }

  @Property(tries = 8, seed = "31")
  void linearEqualsDenseExpansion(
      @ForAll @IntRange(min = 1, max = 30) int in,
      @ForAll @IntRange(min = 1, max = 30) int out,
      @ForAll @IntRange(min = 1, max = 9) int k,
      @ForAll @LongRange(max = 100_000) long seed) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block dense = Layers.linear(in, out, Layers.DENSE);
      Block circ = Layers.linear(in, out, k);
      Shape shape = new Shape(3, in);
      tie(manager, dense, circ, shape, seed);
      float[] x = gaussian(new Random(seed + 1), 3 * in, 1);
      float[][] want = run(manager, dense, x, shape, seed + 2);
      float[][] got = run(manager, circ, x, shape, seed + 2);
      assertClose(got[0], want[0]);
      assertClose(got[1], want[1]);
    }
  }

  @Property(tries = 4, seed = "32")
  void convolutionEqualsDenseExpansion(
      @ForAll @IntRange(min = 1, max = 10) int cin,
      @ForAll @IntRange(min = 1, max = 10) int cout,
      @ForAll @IntRange(min = 1, max = 6) int k,
      @ForAll @LongRange(max = 100_000) long seed) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block dense =
          Conv2d.builder()
              .setKernelShape(new Shape(3, 3))
              .optPadding(new Shape(1, 1))
              .setFilters(cout)
              .build();
      Block circ = new BlockCirculantConv2d(cin, cout, 3, 1, k, true);
      Shape shape = new Shape(2, cin, 5, 6);
      tie(manager, dense, circ, shape, seed);
      float[] x = gaussian(new Random(seed + 1), (int) shape.size(), 1);
      float[][] want = run(manager, dense, x, shape, seed + 2);
      float[][] got = run(manager, circ, x, shape, seed + 2);
      assertClose(got[0], want[0]);
      assertClose(got[1], want[1]);
    }
  }

  @Property(tries = 4, seed = "33")
  void recurrentCellsEqualDenseExpansion(
      @ForAll boolean gru,
      @ForAll @IntRange(min = 2, max = 8) int k,
      @ForAll @LongRange(max = 100_000) long seed) {
    CirculantRnn.Cell cell = gru ? CirculantRnn.Cell.GRU : CirculantRnn.Cell.LSTM;
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Block dense = new CirculantRnn(cell, 7, 12, Layers.DENSE, true);
      Block circ = new CirculantRnn(cell, 7, 12, k, true);
      Shape shape = new Shape(2, 5, 7);
      tie(manager, dense, circ, shape, seed);
      float[] x = gaussian(new Random(seed + 1), (int) shape.size(), 1);
      float[][] want = run(manager, dense, x, shape, seed + 2);
      float[][] got = run(manager, circ, x, shape, seed + 2);
      assertClose(got[0], want[0]);
      assertClose(got[1], want[1]);
    }
  }

  @Property(tries = 1)
  void blockGradientsEqualFiniteDifferences() {
    // Float64 so that central differences are accurate to well below the tolerance.
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Engine.getInstance().setRandomSeed(5);
      BlockCirculantConv2d conv = new BlockCirculantConv2d(5, 6, 3, 1, 4, true);
      BlockCirculantLinear lin = new BlockCirculantLinear(6 * 16, 5, 4, true, true);
      Shape shape = new Shape(2, 5, 4, 4);
      conv.initialize(manager, DataType.FLOAT64, shape);
      lin.initialize(manager, DataType.FLOAT64, new Shape(2, 6 * 16));
      NDArray x = manager.create(gaussianDouble(new Random(6), (int) shape.size()), shape);
      NDArray w = conv.getParameters().get("blocks").getArray();
      w.setRequiresGradient(true);
      lin.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(true));
      double[] analytic;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        gc.backward(loss(conv, lin, x));
        analytic = w.getGradient().toDoubleArray();
      }
      double[] base = w.toDoubleArray();
      for (int i = 0; i < base.length; i += 7) {
        double h = 1e-5;
        double[] plus = base.clone();
        plus[i] += h;
        w.set(plus);
        double up = loss(conv, lin, x).getDouble();
        double[] minus = base.clone();
        minus[i] -= h;
        w.set(minus);
        double down = loss(conv, lin, x).getDouble();
        w.set(base);
        assertThat(analytic[i])
            .as("block entry %d", i)
            .isCloseTo((up - down) / (2 * h), org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  private static NDArray loss(BlockCirculantConv2d conv, BlockCirculantLinear lin, NDArray x) {
    ParameterStore store = new ParameterStore(x.getManager(), false);
    NDArray h = conv.forward(store, new NDList(x), true).head().tanh();
    return lin.forward(store, new NDList(h.reshape(2, -1)), true).head().square().sum();
  }

  @Property(tries = 1)
  void badShapesAreRefusedWithClearMessages() {
    assertThatThrownBy(() -> new BlockCirculantLinear(784, 256, 48, false, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k = 48 does not divide in-features = 784 and padding is off");
    assertThatThrownBy(() -> new BlockCirculantConv2d(16, 30, 3, 1, 8, false))
        .hasMessageContaining("does not divide output channels = 30");
    assertThatThrownBy(() -> new BlockCirculantLinear(8, 8, 0, true, true))
        .hasMessageContaining("k must be >= 1");
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      BlockCirculantLinear lin = new BlockCirculantLinear(16, 8, 4, false, true);
      lin.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
      NDList wrong = new NDList(manager.ones(new Shape(2, 12)));
      assertThatThrownBy(() -> lin.forward(new ParameterStore(manager, false), wrong, false))
          .hasMessageContaining("has shape (2, 12); its last dimension must be 16");
      CirculantRnn rnn = new CirculantRnn(CirculantRnn.Cell.GRU, 4, 8, 4, false);
      rnn.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4));
      NDList flat = new NDList(manager.ones(new Shape(2, 4)));
      assertThatThrownBy(() -> rnn.forward(new ParameterStore(manager, false), flat, false))
          .hasMessageContaining("expected [N, T, 4]");
    }
  }

  static float[] gaussian(Random random, int n, double scale) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextGaussian() * scale);
    }
    return out;
  }

  static double[] gaussianDouble(Random random, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = random.nextGaussian();
    }
    return out;
  }

  static void assertClose(float[] actual, float[] expected) {
    assertThat(actual).hasSameSizeAs(expected);
    double scale = 1e-3;
    for (float e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) Math.abs(actual[i] - expected[i]))
          .as("element %d: %f vs %f", i, actual[i], expected[i])
          .isLessThanOrEqualTo(1e-5 * scale * 4);
    }
  }
}
