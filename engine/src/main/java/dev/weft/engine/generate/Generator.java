package dev.weft.engine.generate;

import dev.weft.engine.forward.KvCache;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.sampling.Sampler;
import dev.weft.scheduler.SamplingParams;
import java.util.Arrays;
import java.util.Set;

/**
 * Generates one sequence at a time: the prompt in one forward pass, then a token per step until a
 * stop token, the token limit or the end of the context window. The serving loop runs many
 * sequences together; this is the plain path for the {@code generate} command and the reference
 * that batched serving is tested against.
 */
public final class Generator {

  private final LlamaModel model;
  private final Set<Integer> stopTokens;

  public Generator(LlamaModel model, Set<Integer> stopTokens) {
    this.model = model;
    this.stopTokens = Set.copyOf(stopTokens);
  }

  /** Why a generation ended. */
  public enum FinishReason {
    /** A stop token was sampled. */
    STOP,
    /** The request's token limit was reached. */
    LENGTH,
    /** The model's context window is full. */
    CONTEXT
  }

  /** Receives each generated token as soon as it is sampled. */
  @FunctionalInterface
  public interface TokenListener {
    void onToken(int previous, int token);
  }

  /**
   * What a generation produced.
   *
   * @param tokens generated tokens, stop token excluded
   * @param reason why it ended
   * @param promptNanos time of the prompt's forward pass and first sample
   * @param decodeNanos time of all later steps
   */
  public record Result(int[] tokens, FinishReason reason, long promptNanos, long decodeNanos) {}

  /** Runs {@code prompt} (which must be non-empty; start from BOS for no prompt) and generates. */
  public Result generate(int[] prompt, SamplingParams params, TokenListener listener) {
    int window = model.config().maxSeqLen();
    if (prompt.length == 0) {
      throw new IllegalArgumentException("the prompt must hold at least one token (BOS)");
    }
    if (prompt.length >= window) {
      throw new PromptTooLongException(prompt.length, window);
    }
    int[] out = new int[Math.min(params.maxTokens(), window - prompt.length + 1)];
    int count = 0;
    long start = System.nanoTime();
    long promptDone = start;
    FinishReason reason = FinishReason.LENGTH;
    try (KvCache cache = model.newCache(window)) {
      int position = 0;
      int[] input = prompt;
      int previous = prompt[prompt.length - 1];
      while (true) {
        float[] logits = model.forward(input, position, cache);
        position += input.length;
        int token = Sampler.sample(logits, params, prompt, Arrays.copyOf(out, count));
        if (count == 0) {
          promptDone = System.nanoTime();
        }
        if (stopTokens.contains(token) || params.stopTokens().contains(token)) {
          reason = FinishReason.STOP;
          break;
        }
        out[count++] = token;
        listener.onToken(previous, token);
        previous = token;
        if (count >= params.maxTokens()) {
          reason = FinishReason.LENGTH;
          break;
        }
        if (position >= window) {
          reason = FinishReason.CONTEXT;
          break;
        }
        input = new int[] {token};
      }
    }
    long end = System.nanoTime();
    return new Result(Arrays.copyOf(out, count), reason, promptDone - start, end - promptDone);
  }
}
