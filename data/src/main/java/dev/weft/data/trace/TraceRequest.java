package dev.weft.data.trace;

/**
 * One request of a serving trace.
 *
 * @param arrivalNanos arrival time relative to the trace's first request (which arrives at 0)
 * @param promptTokens prompt (context) length in tokens, at least 1
 * @param outputTokens tokens generated, at least 1
 */
public record TraceRequest(long arrivalNanos, int promptTokens, int outputTokens) {
  public TraceRequest {
    if (arrivalNanos < 0) {
      throw new IllegalArgumentException("arrival time is " + arrivalNanos + " ns, must be >= 0");
    }
    if (promptTokens < 1) {
      throw new IllegalArgumentException("prompt has " + promptTokens + " tokens, must be >= 1");
    }
    if (outputTokens < 1) {
      throw new IllegalArgumentException("output has " + outputTokens + " tokens, must be >= 1");
    }
  }
}
