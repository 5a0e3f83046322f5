package dev.weft.cli;

import dev.weft.data.trace.AzureTrace;
import dev.weft.data.trace.TraceRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The requests of a serving benchmark: when each is sent, its prompt as token ids (so its length is
 * exact) and how many tokens it must generate (sent with ignore_eos).
 */
final class BenchWorkload {

  /** One request to send. */
  record Item(String id, long arrivalNanos, int[] prompt, int outputTokens) {}

  /** The rule that fits trace requests into the model's window; printed with the results. */
  static final String CLIP_RULE =
      "output = min(GeneratedTokens, window/2); prompt = min(ContextTokens, window - output - 1)";

  final List<Item> items;
  final int clipped;
  final String description;

  private BenchWorkload(List<Item> items, int clipped, String description) {
    this.items = List.copyOf(items);
    this.clipped = clipped;
    this.description = description;
  }

  /**
   * The Azure trace's first {@code maxRequests} requests, arrivals divided by {@code timeScale} (2
   * replays twice as fast), prompts of random token ids clipped by {@link #CLIP_RULE}.
   */
  static BenchWorkload trace(
      Path file, double timeScale, int maxRequests, int window, int vocab, long seed) {
    if (!(timeScale > 0)) {
      throw new IllegalArgumentException("--time-scale must be > 0, got " + timeScale);
    }
    List<TraceRequest> trace = AzureTrace.load(file, maxRequests);
    SplittableRandom random = new SplittableRandom(seed);
    List<Item> items = new ArrayList<>();
    int clipped = 0;
    for (int i = 0; i < trace.size(); i++) {
      TraceRequest r = trace.get(i);
      int output = Math.min(r.outputTokens(), window / 2);
      int prompt = Math.min(r.promptTokens(), window - output - 1);
      if (output != r.outputTokens() || prompt != r.promptTokens()) {
        clipped++;
      }
      items.add(
          new Item(
              "t" + i,
              (long) (r.arrivalNanos() / timeScale),
              randomTokens(random, prompt, vocab),
              output));
    }
    return new BenchWorkload(
        items,
        clipped,
        "Azure trace "
            + file.getFileName()
            + ", first "
            + items.size()
            + " requests, time scale "
            + timeScale
            + "; "
            + clipped
            + " clipped by: "
            + CLIP_RULE);
  }

  /**
   * {@code count} requests of {@code prompt} random tokens (the first {@code sharedPrefix} the same
   * for all) and {@code output} generated tokens, Poisson arrivals at {@code rate} per second
   * (infinite: all at once).
   */
  static BenchWorkload synthetic(
      int prompt, int output, double rate, int count, int sharedPrefix, int vocab, long seed) {
    if (prompt < 1 || output < 1 || count < 1 || sharedPrefix < 0 || sharedPrefix > prompt) {
      throw new IllegalArgumentException(
          "synthetic workload needs prompt >= 1, output >= 1, --max-requests >= 1 and"
              + " 0 <= --shared-prefix <= prompt");
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--rate must be > 0 (or inf), got " + rate);
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[] prefix = randomTokens(random, sharedPrefix, vocab);
    List<Item> items = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < count; i++) {
      int[] tokens = randomTokens(random, prompt, vocab);
      System.arraycopy(prefix, 0, tokens, 0, sharedPrefix);
      items.add(new Item("s" + i, (long) (t * 1e9), tokens, output));
      if (Double.isFinite(rate)) {
        t += -Math.log(1 - random.nextDouble()) / rate; // exponential gaps: Poisson arrivals
      }
    }
    return new BenchWorkload(
        items,
        0,
        String.format(
            java.util.Locale.ROOT,
            "synthetic: %d requests, prompt %d tokens (%d shared), output %d, Poisson rate %s/s",
            count,
            prompt,
            sharedPrefix,
            output,
            Double.isFinite(rate) ? String.valueOf(rate) : "inf (all at once)"));
  }

  /** Random ids in [3, vocab): 0-2 are the special tokens of llama-family tokenizers. */
  private static int[] randomTokens(SplittableRandom random, int n, int vocab) {
    int[] tokens = new int[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = 3 + random.nextInt(Math.max(1, vocab - 3));
    }
    return tokens;
  }
}
