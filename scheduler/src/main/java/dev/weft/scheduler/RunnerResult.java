package dev.weft.scheduler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a runner returns for one step: one sample per sequence that the plan asked to sample, except
 * sequences that failed alone.
 *
 * @param samples in any order
 * @param failures sequences the runner could not compute while the rest of the step succeeded (bad
 *     values in one request's logits, say): the loop aborts just these, with {@link
 *     AbortReason#RUNNER_ERROR}, and applies the others
 */
public record RunnerResult(List<Sample> samples, List<Failure> failures) {

  /** One sequence the runner failed on, with a message for its client. */
  public record Failure(String requestId, String message) {
    public Failure {
      Objects.requireNonNull(requestId, "request id");
      Objects.requireNonNull(message, "message");
    }
  }

  /** A step where every sequence succeeded. */
  public RunnerResult(List<Sample> samples) {
    this(samples, List.of());
  }

  /**
   * One sampled token.
   *
   * @param requestId the sequence it belongs to
   * @param token the sampled token id
   * @param endOfSequence the runner's own stop signal (e.g. the tokenizer's end-of-sequence token):
   *     the request finishes with {@link FinishReason#STOP} and the token is not emitted, like a
   *     token of {@link SamplingParams#stopTokens()}
   */
  public record Sample(String requestId, int token, boolean endOfSequence) {
    public Sample {
      Objects.requireNonNull(requestId, "request id");
    }
  }

  public RunnerResult {
    samples = List.copyOf(samples);
    failures = List.copyOf(failures);
  }

  public static RunnerResult of(Sample... samples) {
    return new RunnerResult(List.of(samples));
  }

  /** The samples by request id; a request sampled twice is a runner bug. */
  Map<String, Sample> byRequest() {
    Map<String, Sample> byId = new HashMap<>();
    for (Sample sample : samples) {
      if (byId.put(sample.requestId(), sample) != null) {
        throw new IllegalStateException(
            "runner returned two samples for request " + sample.requestId());
      }
    }
    return byId;
  }

  /** The failure messages by request id. */
  Map<String, String> failuresByRequest() {
    Map<String, String> byId = new HashMap<>();
    for (Failure failure : failures) {
      byId.put(failure.requestId(), failure.message());
    }
    return byId;
  }
}
