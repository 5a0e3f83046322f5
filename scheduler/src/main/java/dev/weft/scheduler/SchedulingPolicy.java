package dev.weft.scheduler;

/** The order in which requests are admitted, served and chosen as preemption victims. */
public enum SchedulingPolicy {
  /**
   * First come, first served: waiting requests in arrival order (a preempted request goes back to
   * the head); running requests in admission order; the most recently admitted is preempted first.
   */
  FCFS,
  /**
   * By {@link Request#priority()} (lower value first), then arrival. The lowest-priority running
   * request is preempted first, and a waiting request may preempt running requests of strictly
   * lower priority to get in.
   */
  PRIORITY
}
