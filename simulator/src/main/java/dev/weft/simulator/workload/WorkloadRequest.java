package dev.weft.simulator.workload;

import java.util.Objects;

/**
 * One request of a workload.
 *
 * @param id unique within the workload
 * @param arrivalNanos when it arrives, relative to the workload's start (ignored by closed loops)
 * @param promptTokens prompt length
 * @param outputTokens tokens it generates (it ignores end-of-sequence, so exactly this many)
 * @param priority for the priority policy; lower is more urgent
 */
public record WorkloadRequest(
    String id, long arrivalNanos, int promptTokens, int outputTokens, int priority) {
  public WorkloadRequest {
    Objects.requireNonNull(id, "id");
    if (arrivalNanos < 0 || promptTokens < 1 || outputTokens < 1) {
      throw new IllegalArgumentException(
          "request "
              + id
              + ": arrival "
              + arrivalNanos
              + " ns, prompt "
              + promptTokens
              + ", output "
              + outputTokens
              + " (need arrival >= 0, prompt and output >= 1)");
    }
  }
}
