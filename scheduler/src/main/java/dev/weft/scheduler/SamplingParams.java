package dev.weft.scheduler;

import java.util.Set;

/**
 * How one request's tokens are chosen and when it stops. Validated on construction so that a bad
 * value is reported at the edge, with the field's name, before any work is done.
 *
 * @param temperature 0 for greedy decoding; otherwise logits are divided by it
 * @param topK keep the K most likely tokens; 0 disables
 * @param topP keep the smallest set of tokens whose probability reaches P; 1 disables
 * @param minP drop tokens whose probability is below minP times the top token's; 0 disables
 * @param repetitionPenalty CTRL-style penalty (> 1 discourages tokens already seen); 1 disables
 * @param frequencyPenalty subtracted once per earlier occurrence of a token; 0 disables
 * @param seed seed of this request's own random stream
 * @param maxTokens the most tokens to generate
 * @param stopTokens token ids that end generation (not emitted)
 * @param minTokens the fewest tokens to generate: until then a stop token neither ends the request
 *     nor (in a runner that masks them, as the engine's does) gets sampled; 0 disables
 */
public record SamplingParams(
    double temperature,
    int topK,
    double topP,
    double minP,
    double repetitionPenalty,
    double frequencyPenalty,
    long seed,
    int maxTokens,
    Set<Integer> stopTokens,
    int minTokens) {

  public SamplingParams {
    check(Double.isFinite(temperature) && temperature >= 0, "temperature", temperature, ">= 0");
    check(topK >= 0, "top-k", topK, ">= 0 (0 disables it)");
    check(topP > 0 && topP <= 1, "top-p", topP, "in (0, 1]");
    check(minP >= 0 && minP < 1, "min-p", minP, "in [0, 1)");
    check(
        Double.isFinite(repetitionPenalty) && repetitionPenalty > 0,
        "repetition penalty",
        repetitionPenalty,
        "> 0 (1 disables it)");
    check(Double.isFinite(frequencyPenalty), "frequency penalty", frequencyPenalty, "finite");
    check(maxTokens >= 1, "max tokens", maxTokens, ">= 1");
    check(
        minTokens >= 0 && minTokens <= maxTokens,
        "min tokens",
        minTokens,
        ">= 0 and <= max tokens (" + maxTokens + ")");
    stopTokens = Set.copyOf(stopTokens);
  }

  /** Parameters with no minimum length. */
  public SamplingParams(
      double temperature,
      int topK,
      double topP,
      double minP,
      double repetitionPenalty,
      double frequencyPenalty,
      long seed,
      int maxTokens,
      Set<Integer> stopTokens) {
    this(
        temperature,
        topK,
        topP,
        minP,
        repetitionPenalty,
        frequencyPenalty,
        seed,
        maxTokens,
        stopTokens,
        0);
  }

  /** Greedy decoding of up to {@code maxTokens} tokens. */
  public static SamplingParams greedy(int maxTokens) {
    return new SamplingParams(0, 0, 1, 0, 1, 0, 0, maxTokens, Set.of());
  }

  public boolean isGreedy() {
    return temperature == 0;
  }

  public SamplingParams withStopTokens(Set<Integer> tokens) {
    return new SamplingParams(
        temperature,
        topK,
        topP,
        minP,
        repetitionPenalty,
        frequencyPenalty,
        seed,
        maxTokens,
        tokens,
        minTokens);
  }

  public SamplingParams withMinTokens(int count) {
    return new SamplingParams(
        temperature,
        topK,
        topP,
        minP,
        repetitionPenalty,
        frequencyPenalty,
        seed,
        maxTokens,
        stopTokens,
        count);
  }

  /** Whether a stop token must not end the request yet, {@code produced} tokens in. */
  public boolean belowMinTokens(int produced) {
    return produced < minTokens;
  }

  private static void check(boolean ok, String name, Object value, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("invalid " + name + " " + value + ": must be " + rule);
    }
  }
}
