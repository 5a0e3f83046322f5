package dev.weft.accel.circulant.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A one-layer LSTM or GRU over a whole sequence whose gate matrices are block-circulant (E-RNN) or
 * dense, by {@link Layers#linear}: the input-to-gates matrix W_x (in → G·H) and the recurrent
 * matrix W_h (H → G·H), G = 4 gates for LSTM, 3 for GRU. W_x x_t runs for all time steps in one
 * product before the loop; only W_h h_{t−1} runs per step.
 *
 * <p>Input [N, T, in]; output [N, T, H] (every hidden state) when {@code allSteps}, else [N, H]
 * (the last one).
 *
 * <p>LSTM: (i, f, g, o) = W_x x + W_h h (+ biases); c' = σ(f)c + σ(i)tanh(g); h' = σ(o)tanh(c').
 * GRU (PyTorch's form): (r, z) from both; n = tanh(W_xn x + r ∘ (W_hn h)); h' = (1−z)n + z h.
 */
public final class CirculantRnn extends AbstractBlock {

  /** Which recurrent cell. */
  public enum Cell {
    LSTM(4),
    GRU(3);

    final int gates;

    Cell(int gates) {
      this.gates = gates;
    }
  }

  private final Cell cell;
  private final int in;
  private final int hidden;
  private final boolean allSteps;
  private final Block wx;
  private final Block wh;

  /** {@code k} = {@link Layers#DENSE} for dense gate matrices. */
  public CirculantRnn(Cell cell, int in, int hidden, int k, boolean allSteps) {
    if (in < 1 || hidden < 1) {
      throw new IllegalArgumentException("input " + in + " and hidden " + hidden + " must be >= 1");
    }
    this.cell = cell;
    this.in = in;
    this.hidden = hidden;
    this.allSteps = allSteps;
    wx = addChildBlock("wx", Layers.linear(in, cell.gates * hidden, k));
    wh = addChildBlock("wh", Layers.linear(hidden, cell.gates * hidden, k));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long n = inputShapes[0].get(0);
    wx.initialize(manager, dataType, new Shape(n, in));
    wh.initialize(manager, dataType, new Shape(n, hidden));
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    Shape s = x.getShape();
    if (s.dimension() != 3 || s.get(2) != in) {
      throw new IllegalArgumentException(
          cell + " input has shape " + s + "; expected [N, T, " + in + "]");
    }
    long n = s.get(0);
    long steps = s.get(1);
    int gh = cell.gates * hidden;
    NDArray fromInput =
        wx.forward(store, new NDList(x.reshape(n * steps, in)), training)
            .singletonOrThrow()
            .reshape(n, steps, gh);
    NDArray h = x.getManager().zeros(new Shape(n, hidden));
    NDArray c = cell == Cell.LSTM ? x.getManager().zeros(new Shape(n, hidden)) : null;
    NDList outputs = new NDList();
    for (long t = 0; t < steps; t++) {
      NDArray xt = fromInput.get(new NDIndex(":, {}", t));
      NDArray ht = wh.forward(store, new NDList(h), training).singletonOrThrow();
      if (cell == Cell.LSTM) {
        NDArray gates = xt.add(ht);
        NDArray i = Activation.sigmoid(slice(gates, 0));
        NDArray f = Activation.sigmoid(slice(gates, 1));
        NDArray g = Activation.tanh(slice(gates, 2));
        NDArray o = Activation.sigmoid(slice(gates, 3));
        c = f.mul(c).add(i.mul(g));
        h = o.mul(Activation.tanh(c));
      } else {
        NDArray r = Activation.sigmoid(slice(xt, 0).add(slice(ht, 0)));
        NDArray z = Activation.sigmoid(slice(xt, 1).add(slice(ht, 1)));
        NDArray cand = Activation.tanh(slice(xt, 2).add(r.mul(slice(ht, 2))));
        h = z.neg().add(1).mul(cand).add(z.mul(h));
      }
      if (allSteps) {
        outputs.add(h);
      }
    }
    return new NDList(allSteps ? NDArrays.stack(outputs, 1) : h);
  }

  private NDArray slice(NDArray gates, int gate) {
    return gates.get(new NDIndex(":, {}:{}", gate * hidden, (gate + 1) * hidden));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputs) {
    Shape s = inputs[0];
    return new Shape[] {
      allSteps ? new Shape(s.get(0), s.get(1), hidden) : new Shape(s.get(0), hidden)
    };
  }
}
