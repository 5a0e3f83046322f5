package dev.weft.benchmarks.engine;

import dev.weft.engine.model.LlamaConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * A step's limits: the weights it must read once (bytes over measured bandwidth) and its weight
 * products at the step's own shapes (FLOPs over the measured product rate at those shapes).
 * Attention is left out of both, so the limits are what weights alone allow.
 */
final class StepCost {

  private final LlamaConfig c;
  private final MachineLimits limits;
  private final Map<String, Double> matmulCache = new HashMap<>();

  StepCost(LlamaConfig c, MachineLimits limits) {
    this.c = c;
    this.limits = limits;
  }

  /** Bytes of float32 weights a step reads: every layer matrix and the classifier. */
  long weightBytes() {
    return 4L * (c.nLayers() * layerParams() + (long) c.vocabSize() * c.dim());
  }

  private long layerParams() {
    long d = c.dim();
    long kv = c.kvDim();
    long h = c.hiddenDim();
    return d * (d + 2 * kv) + d * d + d * 2 * h + h * d;
  }

  /** Weight-product FLOPs of a step with {@code tokens} rows and {@code logitRows} logits. */
  double flops(int tokens, int logitRows) {
    return 2.0 * tokens * c.nLayers() * layerParams() + 2.0 * logitRows * c.vocabSize() * c.dim();
  }

  /** Seconds the step's weight products take alone, at its shapes (the engine's fused ones). */
  double computeSeconds(int tokens, int logitRows) {
    int d = c.dim();
    int kv = c.kvDim();
    int h = c.hiddenDim();
    double layer =
        mm(tokens, d, d + 2 * kv) + mm(tokens, d, d) + mm(tokens, d, 2 * h) + mm(tokens, h, d);
    return c.nLayers() * layer + mm(logitRows, d, c.vocabSize());
  }

  private double mm(int rows, int in, int out) {
    return matmulCache.computeIfAbsent(
        rows + "x" + in + "x" + out, k -> limits.matmulSeconds(rows, in, out));
  }

  BenchResult result(String shape, String workload, int tokens, int logitRows, double seconds) {
    double memoryLimit = tokens / limits.memorySeconds(weightBytes());
    double computeLimit = tokens / computeSeconds(tokens, logitRows);
    return new BenchResult(
        shape,
        workload,
        tokens / seconds,
        seconds * 1e3,
        flops(tokens, logitRows) / seconds / 1e9,
        memoryLimit,
        computeLimit);
  }
}
