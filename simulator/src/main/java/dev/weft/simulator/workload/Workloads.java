package dev.weft.simulator.workload;

import dev.weft.data.trace.TraceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds workloads from traces, synthetic arrival processes, or closed-loop clients. */
public final class Workloads {
  /** How trace requests are fitted into the context window (the same rule as bench serve). */
  public static final String CLIP_RULE =
      "output = min(GeneratedTokens, window/2); prompt = min(ContextTokens, window - output - 1)";

  private Workloads() {}

  /**
   * A trace replayed open-loop. Arrival times are divided by {@code timeScale} (2 replays twice as
   * fast), as in {@code weft bench serve}. A request longer than the context is clipped by bench
   * serve's rule, {@value #CLIP_RULE}; {@link #clipped} counts them.
   */
  public static Workload fromTrace(
      List<TraceRequest> trace, double timeScale, int maxModelLen, long seed, int vocabSize) {
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("time scale is " + timeScale + ", must be > 0");
    }
    List<WorkloadRequest> requests = new ArrayList<>(trace.size());
    for (int i = 0; i < trace.size(); i++) {
      TraceRequest t = trace.get(i);
      int output = Math.min(t.outputTokens(), Math.max(1, maxModelLen / 2));
      int prompt = Math.min(t.promptTokens(), maxModelLen - output - 1);
      long at = Math.round(t.arrivalNanos() / timeScale);
      requests.add(new WorkloadRequest("r" + i, at, prompt, output, 0));
    }
    return new Workload(requests, 0, seed, vocabSize);
  }

  /** How many requests of {@code trace} {@link #fromTrace} clips to fit {@code maxModelLen}. */
  public static int clipped(List<TraceRequest> trace, int maxModelLen) {
    int n = 0;
    for (TraceRequest t : trace) {
      n +=
          t.promptTokens() + t.outputTokens() > maxModelLen || t.outputTokens() > maxModelLen / 2
              ? 1
              : 0;
    }
    return n;
  }

  /**
   * {@code count} requests of {@code prompt} and {@code output} tokens arriving at {@code rate} per
   * second with gamma-distributed gaps of coefficient of variation {@code cv} (1 = Poisson).
   * Priorities are drawn uniformly from {@code [0, priorities)}.
   */
  public static Workload synthetic(
      int count,
      int prompt,
      int output,
      double rate,
      double cv,
      int priorities,
      long seed,
      int vocabSize) {
    if (count < 1 || prompt < 1 || output < 1 || priorities < 1) {
      throw new IllegalArgumentException("count, prompt, output and priorities must be >= 1");
    }
    if (!(rate > 0) || !(cv > 0)) {
      throw new IllegalArgumentException("rate and cv must be > 0, got " + rate + ", " + cv);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double shape = 1 / (cv * cv);
    double scale = 1 / (rate * shape); // mean gap = shape * scale = 1 / rate
    double t = 0;
    List<WorkloadRequest> requests = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        t += gamma(random, shape) * scale;
      }
      int priority = priorities == 1 ? 0 : random.nextInt(priorities);
      requests.add(new WorkloadRequest("r" + i, Math.round(t * 1e9), prompt, output, priority));
    }
    return new Workload(requests, 0, seed, vocabSize);
  }

  /** The same requests sent by {@code clients} closed-loop clients. */
  public static Workload closedLoop(Workload requests, int clients) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients is " + clients + ", must be >= 1");
    }
    return new Workload(requests.requests(), clients, requests.tokenSeed(), requests.vocabSize());
  }

  /** Marsaglia and Tsang's gamma sampler (shape k, scale 1). */
  static double gamma(SplittableRandom random, double k) {
    if (k < 1) {
      double u = random.nextDouble();
      return gamma(random, k + 1) * Math.pow(u, 1 / k);
    }
    double d = k - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = normal(random);
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }

  private static double normal(SplittableRandom random) {
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
