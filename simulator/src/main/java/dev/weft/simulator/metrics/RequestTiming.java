package dev.weft.simulator.metrics;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a client saw of one request, in nanoseconds on one clock: when it was sent, when each token
 * arrived, when it ended.
 *
 * @param id the request id
 * @param sentNanos when the client sent it
 * @param tokenNanos arrival time of each generated token, in order
 * @param endNanos when the client saw it end
 * @param promptTokens prompt length
 * @param completed whether it finished normally (rejected or aborted requests are excluded from
 *     latency metrics, as vLLM's benchmark excludes failed requests)
 */
public record RequestTiming(
    String id,
    long sentNanos,
    long[] tokenNanos,
    long endNanos,
    int promptTokens,
    boolean completed) {
  public RequestTiming {
    Objects.requireNonNull(id, "id");
    tokenNanos = tokenNanos.clone();
    if (endNanos < sentNanos) {
      throw new IllegalArgumentException(id + ": ends before it was sent");
    }
  }

  public int outputTokens() {
    return tokenNanos.length;
  }

  @Override
  public long[] tokenNanos() {
    return tokenNanos.clone();
  }

  long tokenAt(int i) {
    return tokenNanos[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestTiming r
        && id.equals(r.id)
        && sentNanos == r.sentNanos
        && Arrays.equals(tokenNanos, r.tokenNanos)
        && endNanos == r.endNanos
        && promptTokens == r.promptTokens
        && completed == r.completed;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, sentNanos, Arrays.hashCode(tokenNanos), endNanos, completed);
  }

  @Override
  public String toString() {
    return id + "[sent " + sentNanos + ", tokens " + Arrays.toString(tokenNanos) + "]";
  }
}
