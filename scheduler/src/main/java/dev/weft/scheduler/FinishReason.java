package dev.weft.scheduler;

/** Why a request stopped generating on its own. */
public enum FinishReason {
  /** A stop token or the runner's end-of-sequence signal; that token is not emitted. */
  STOP,
  /** It generated {@link SamplingParams#maxTokens()} tokens. */
  MAX_TOKENS,
  /** Prompt and output together reached the model's context length. */
  CONTEXT_LENGTH
}
