package dev.weft.simulator.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * vLLM benchmark_serving's metrics over a run, computed from client-side timings: TTFT (sent to
 * first token), TPOT ((E2E - TTFT) / (output - 1), requests with more than one token), ITL (every
 * gap between consecutive tokens), E2E (sent to end), all in milliseconds; output throughput =
 * generated tokens / duration, duration = first send to last end.
 */
public record ServingMetrics(
    int completed,
    int failed,
    long outputTokens,
    double durationSeconds,
    Summary ttftMs,
    Summary tpotMs,
    Summary itlMs,
    Summary e2eMs,
    double[] ttftSamplesMs,
    double[] e2eSamplesMs) {

  /** The latency metrics, by the names used in tables: ttft, tpot, itl, e2e. */
  public static final List<String> LATENCIES = List.of("ttft", "tpot", "itl", "e2e");

  public static ServingMetrics of(List<RequestTiming> requests) {
    List<Double> ttft = new ArrayList<>();
    List<Double> tpot = new ArrayList<>();
    List<Double> itl = new ArrayList<>();
    List<Double> e2e = new ArrayList<>();
    long tokens = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    int completed = 0;
    for (RequestTiming r : requests) {
      first = Math.min(first, r.sentNanos());
      last = Math.max(last, r.endNanos());
      if (!r.completed() || r.outputTokens() == 0) {
        continue;
      }
      completed++;
      tokens += r.outputTokens();
      double t = ms(r.tokenAt(0) - r.sentNanos());
      double e = ms(r.endNanos() - r.sentNanos());
      ttft.add(t);
      e2e.add(e);
      if (r.outputTokens() > 1) {
        tpot.add((e - t) / (r.outputTokens() - 1));
      }
      for (int i = 1; i < r.outputTokens(); i++) {
        itl.add(ms(r.tokenAt(i) - r.tokenAt(i - 1)));
      }
    }
    double duration = requests.isEmpty() ? 0 : (last - first) / 1e9;
    return new ServingMetrics(
        completed,
        requests.size() - completed,
        tokens,
        duration,
        Summary.of(array(ttft)),
        Summary.of(array(tpot)),
        Summary.of(array(itl)),
        Summary.of(array(e2e)),
        array(ttft),
        array(e2e));
  }

  /**
   * The raw values behind a latency metric (ttft, tpot, itl, e2e), in milliseconds, of the
   * completed requests: what percentiles and bootstrap intervals are computed from.
   */
  public static double[] samples(List<RequestTiming> requests, String name) {
    List<Double> out = new ArrayList<>();
    for (RequestTiming r : requests) {
      if (!r.completed() || r.outputTokens() == 0) {
        continue;
      }
      double t = ms(r.tokenAt(0) - r.sentNanos());
      double e = ms(r.endNanos() - r.sentNanos());
      switch (name) {
        case "ttft" -> out.add(t);
        case "e2e" -> out.add(e);
        case "tpot" -> {
          if (r.outputTokens() > 1) {
            out.add((e - t) / (r.outputTokens() - 1));
          }
        }
        case "itl" -> {
          for (int i = 1; i < r.outputTokens(); i++) {
            out.add(ms(r.tokenAt(i) - r.tokenAt(i - 1)));
          }
        }
        default -> throw new IllegalArgumentException("no latency metric " + name);
      }
    }
    return array(out);
  }

  public double outputThroughput() {
    return durationSeconds > 0 ? outputTokens / durationSeconds : Double.NaN;
  }

  public double requestThroughput() {
    return durationSeconds > 0 ? completed / durationSeconds : Double.NaN;
  }

  public Summary latency(String name) {
    switch (name) {
      case "ttft":
        return ttftMs;
      case "tpot":
        return tpotMs;
      case "itl":
        return itlMs;
      case "e2e":
        return e2eMs;
      default:
        throw new IllegalArgumentException("no latency metric " + name);
    }
  }

  /** Every metric by name (throughput, then e.g. "mean ttft"), for tables and comparisons. */
  public Map<String, Double> flat() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("throughput", outputThroughput());
    for (String name : LATENCIES) {
      for (String stat : List.of("mean", "median", "p90", "p99")) {
        m.put(stat + " " + name, latency(name).get(stat));
      }
    }
    return m;
  }

  /** The table vLLM's benchmark prints, in its words. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-40s %12d%n", "Successful requests:", completed));
    b.append(String.format(Locale.ROOT, "%-40s %12d%n", "Failed requests:", failed));
    b.append(
        String.format(Locale.ROOT, "%-40s %12.2f%n", "Benchmark duration (s):", durationSeconds));
    b.append(String.format(Locale.ROOT, "%-40s %12d%n", "Total generated tokens:", outputTokens));
    b.append(
        String.format(
            Locale.ROOT, "%-40s %12.2f%n", "Request throughput (req/s):", requestThroughput()));
    b.append(
        String.format(
            Locale.ROOT, "%-40s %12.2f%n", "Output token throughput (tok/s):", outputThroughput()));
    for (String name : LATENCIES) {
      Summary s = latency(name);
      String label = name.toUpperCase(Locale.ROOT);
      b.append(String.format(Locale.ROOT, "%-40s %12.2f%n", "Mean " + label + " (ms):", s.mean()));
      b.append(
          String.format(Locale.ROOT, "%-40s %12.2f%n", "Median " + label + " (ms):", s.median()));
      b.append(String.format(Locale.ROOT, "%-40s %12.2f%n", "P90 " + label + " (ms):", s.p90()));
      b.append(String.format(Locale.ROOT, "%-40s %12.2f%n", "P99 " + label + " (ms):", s.p99()));
    }
    return b.toString();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double[] array(List<Double> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }
}
