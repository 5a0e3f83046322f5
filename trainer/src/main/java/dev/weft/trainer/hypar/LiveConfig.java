package dev.weft.trainer.hypar;

import java.util.ArrayList;
import java.util.List;

/**
 * What one live-check worker JVM needs; plain fields so the launcher can hand it over as JSON,
 * validated here whoever built it.
 *
 * @param runId shared by the run's workers
 * @param rank this worker, 0 .. 2^H-1
 * @param peers {@code host:port} of every worker, in rank order
 * @param widths the MLP's layer widths, input first
 * @param batch samples per step over all workers
 * @param bits the plan, one string per level (H1 first), one bit per layer
 * @param steps training steps to run and check
 * @param seed for weights and data
 * @param lr SGD learning rate
 * @param out where the worker writes its result JSON
 * @param timeoutSeconds the longest any wait may take
 */
public record LiveConfig(
    String runId,
    int rank,
    List<String> peers,
    int[] widths,
    int batch,
    List<String> bits,
    int steps,
    long seed,
    float lr,
    String out,
    long timeoutSeconds) {

  public LiveConfig {
    peers = List.copyOf(peers);
    bits = List.copyOf(bits);
    widths = widths.clone();
    if (peers.size() != 1 << bits.size()) {
      throw new IllegalArgumentException(
          peers.size() + " peers for a plan of " + bits.size() + " levels");
    }
    if (rank < 0 || rank >= peers.size()) {
      throw new IllegalArgumentException("rank " + rank + " outside 0.." + (peers.size() - 1));
    }
    if (steps < 1 || timeoutSeconds < 1) {
      throw new IllegalArgumentException("steps and timeout must be at least 1");
    }
    layout(widths, batch, bits);
  }

  public MlpLayout layout() {
    return layout(widths, batch, bits);
  }

  private static MlpLayout layout(int[] widths, int batch, List<String> bits) {
    List<List<Choice>> levels = new ArrayList<>();
    for (String b : bits) {
      if (!b.matches("[01]+")) {
        throw new IllegalArgumentException("plan level '" + b + "' is not a string of 0 and 1");
      }
      levels.add(b.chars().mapToObj(c -> Choice.of(c == '1')).toList());
    }
    return new MlpLayout(widths, batch, levels);
  }
}
