package dev.weft.accel.circulant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Block-circulant layers as ONNX graphs (opset 17), for ONNX Runtime or any other ONNX runtime. The
 * forward graph follows the {@link HalfSpectrum} layout with the fewest nodes we found fast at
 * batch 1: pad x to q·k, reshape to blocks, MatMul with the k × 2h DFT matrix, transpose to [h, 2B,
 * q], one MatMul over frequencies with the weight spectrum [Re W | Im W] (h × q × 2p), transpose
 * back, MatMul with the inverse-DFT matrix, cut to m, add the bias — 9-12 nodes. (ORT's {@code DFT}
 * kernel on many length-k signals, the full spectrum and the complex views around it cost 3-4× more
 * at batch 1; the weight-gradient graph, off the serving path, still uses {@code DFT} nodes.) Input
 * "input" is batch × n, output "output" batch × m, with a symbolic batch dimension.
 */
public final class CirculantOnnx {

  static final int OPSET = 17;

  private CirculantOnnx() {}

  /** The layer y = W·x + bias as an ONNX model; bias may be null (no bias) or hold m floats. */
  public static byte[] linear(BlockCirculantMatrix w, float[] bias) {
    if (bias != null && bias.length != w.rows()) {
      throw new IllegalArgumentException(
          "bias has " + bias.length + " floats but the layer has m = " + w.rows() + " outputs");
    }
    Graph g = new Graph();
    int k = w.blockSize();
    int p = w.blockRows();
    int q = w.blockCols();
    int h = HalfSpectrum.bins(k);
    String rows = g.reshape(g.padColumns("input", w.cols(), (long) q * k), -1, k); // [B·q, k]
    String spec = g.op("MatMul", rows, g.floatInit(HalfSpectrum.forwardDft(k), k, 2L * h)).out();
    String s4 = g.reshape(spec, -1, q, h, 2); // [B, q, h, 2]
    String st = g.op("Transpose", s4).intsAttribute("perm", 2, 0, 3, 1).out(); // [h, B, 2, q]
    String xs = g.reshape(st, h, -1, q); // [h, 2B, q], rows (b, re/im)
    String weights = g.floatInit(HalfSpectrum.spectrumWeights(w), h, q, 2L * p);
    String y = g.op("MatMul", xs, weights).out(); // [h, 2B, 2p]: (b, Xr/Xi) × (Wr/Wi, i)
    String y4 = g.reshape(y, h, -1, 4, p);
    String yt = g.op("Transpose", y4).intsAttribute("perm", 1, 3, 0, 2).out(); // [B, p, h, 4]
    String yr = g.reshape(yt, -1, 4L * h); // [B·p, 4h]
    String blocks =
        g.op("MatMul", yr, g.floatInit(HalfSpectrum.inverseDft(k), 4L * h, k)).out(); // [B·p, k]
    String out = g.reshape(blocks, -1, (long) p * k);
    if ((long) p * k > w.rows()) {
      out = g.slice(out, 1, 0, w.rows());
    }
    if (bias != null) {
      out = g.op("Add", out, g.floatInit(bias, w.rows())).out();
    }
    g.op("Identity", out).named("output");
    return g.model("block_circulant_linear", "input", w.cols(), "output", w.rows());
  }

  /** Writes {@link #linear} to {@code file}. */
  public static void writeLinear(BlockCirculantMatrix w, float[] bias, Path file)
      throws IOException {
    Files.write(file, linear(w, bias));
  }

  /**
   * The weight gradient as a graph: inputs "x" (batch × n) and "dy" (batch × m), output "dw" (p·q·k
   * floats), Σ_b IFFT(FFT(δ_i) ∘ conj(FFT(x_j))) as one realified MatMul over frequencies: [Dr |
   * Di] (k × p × 2B) times [[Xr, −Xi], [Xi, Xr]] (k × 2B × 2q).
   */
  static byte[] weightGradient(BlockCirculantMatrix w) {
    Graph g = new Graph();
    int k = w.blockSize();
    int p = w.blockRows();
    int q = w.blockCols();
    String ds = g.blockSpectrum("dy", w.rows(), p, k); // [B, p, k, 2]
    String dt = g.op("Transpose", ds).intsAttribute("perm", 2, 1, 3, 0).out(); // [k, p, 2, B]
    String d = g.reshape(dt, k, p, -1); // [k, p, 2B]
    String xsp = g.blockSpectrum("x", w.cols(), q, k); // [B, q, k, 2]
    String xt = g.op("Transpose", xsp).intsAttribute("perm", 2, 3, 0, 1).out(); // [k, 2, B, q]
    String xr = g.slice(xt, 1, 0, 1); // [k, 1, B, q]
    String xi = g.slice(xt, 1, 1, 2);
    String negXi = g.op("Neg", xi).out();
    String top = g.op("Concat", xr, negXi).intAttribute("axis", 3).out(); // [k, 1, B, 2q]
    String bottom = g.op("Concat", xi, xr).intAttribute("axis", 3).out();
    String both = g.op("Concat", top, bottom).intAttribute("axis", 1).out(); // [k, 2, B, 2q]
    String x = g.reshape(both, k, -1, 2L * q); // [k, 2B, 2q]
    String prod = g.op("MatMul", d, x).out(); // [k, p, 2q]
    String split = g.reshape(prod, k, p, 2, q);
    String perm = g.op("Transpose", split).intsAttribute("perm", 1, 3, 0, 2).out(); // [p, q, k, 2]
    String out = g.realInverse(perm, new long[] {(long) p * q * k}, -1);
    g.op("Identity", out).named("dw");
    OnnxProto graph = g.graph("block_circulant_weight_gradient");
    graph.message(11, OnnxProto.floatValue("x", null, (long) w.cols()));
    graph.message(11, OnnxProto.floatValue("dy", null, (long) w.rows()));
    graph.message(12, OnnxProto.floatValue("dw", (long) p * q * k));
    return OnnxProto.model(graph, OPSET);
  }

  /** The dense product X·Wᵀ as one MatMul, the onnxruntime backend's baseline. */
  static byte[] dense(float[] wt, int m, int n) {
    Graph g = new Graph();
    String y = g.op("MatMul", "input", g.floatInit(wt, n, m)).out();
    g.op("Identity", y).named("output");
    return g.model("dense_linear", "input", n, "output", m);
  }

  /** Nodes and initializers of one graph under construction, with generated value names. */
  private static final class Graph {
    private final List<OnnxProto> nodes = new ArrayList<>();
    private final List<OnnxProto> inits = new ArrayList<>();
    private int counter;

    /** A node whose single output gets a fresh name, unless {@link Node#named} renames it. */
    final class Node {
      private final String op;
      private final String[] inputs;
      private final List<long[]> ints = new ArrayList<>();
      private final List<String> intNames = new ArrayList<>();
      private final List<long[]> lists = new ArrayList<>();
      private final List<String> listNames = new ArrayList<>();
      private String output;

      Node(String op, String[] inputs) {
        this.op = op;
        this.inputs = inputs;
      }

      Node intAttribute(String name, long v) {
        intNames.add(name);
        ints.add(new long[] {v});
        return this;
      }

      Node intsAttribute(String name, long... v) {
        listNames.add(name);
        lists.add(v);
        return this;
      }

      String out() {
        return named("v" + counter++);
      }

      String named(String name) {
        output = name;
        OnnxProto n = OnnxProto.node(op, op + "_" + nodes.size(), inputs, new String[] {output});
        for (int a = 0; a < ints.size(); a++) {
          n.intAttribute(intNames.get(a), ints.get(a)[0]);
        }
        for (int a = 0; a < lists.size(); a++) {
          n.intsAttribute(listNames.get(a), lists.get(a));
        }
        nodes.add(n);
        return output;
      }
    }

    Node op(String op, String... inputs) {
      return new Node(op, inputs);
    }

    String floatInit(float[] data, long... dims) {
      String name = "w" + counter++;
      inits.add(OnnxProto.floatTensor(name, data, dims));
      return name;
    }

    String longInit(long... data) {
      String name = "c" + counter++;
      inits.add(OnnxProto.int64Tensor(name, data));
      return name;
    }

    String reshape(String x, long... shape) {
      return op("Reshape", x, longInit(shape)).out();
    }

    String slice(String x, long axis, long start, long end) {
      return op("Slice", x, longInit(start), longInit(end), longInit(axis)).out();
    }

    /** batch × width → batch × padded, zeros on the right (x itself when equal). */
    String padColumns(String x, int width, long padded) {
      return padded > width ? op("Pad", x, longInit(0, 0, 0, padded - width)).out() : x;
    }

    /** batch × width → zero-padded blocks → DFT: [B, blocks, k, 2]. */
    String blockSpectrum(String input, int width, int blocks, int k) {
      String b = reshape(padColumns(input, width, (long) blocks * k), 0, blocks, k, 1);
      return op("DFT", b).intAttribute("axis", 2).out();
    }

    /** Inverse DFT on axis 2 of [.., .., k, 2], real part, reshape, cut the last axis to width. */
    String realInverse(String spec, long[] shape, int width) {
      String inv = op("DFT", spec).intAttribute("axis", 2).intAttribute("inverse", 1).out();
      String re = slice(inv, 3, 0, 1);
      String flat = reshape(re, shape);
      if (width > 0 && shape[shape.length - 1] > width) {
        flat = slice(flat, shape.length - 1, 0, width);
      }
      return flat;
    }

    OnnxProto graph(String name) {
      OnnxProto g = new OnnxProto();
      for (OnnxProto n : nodes) {
        g.message(1, n);
      }
      g.string(2, name);
      for (OnnxProto t : inits) {
        g.message(5, t);
      }
      return g;
    }

    byte[] model(String name, String input, int n, String output, int m) {
      OnnxProto g = graph(name);
      g.message(11, OnnxProto.floatValue(input, null, (long) n));
      g.message(12, OnnxProto.floatValue(output, null, (long) m));
      return OnnxProto.model(g, OPSET);
    }
  }
}
