package dev.weft.scheduler;

import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The order in which FCFS and priority admit, serve and preempt. */
class PolicyOrderTest {

  private static SchedulerConfig oneAtATime(SchedulingPolicy policy) {
    return SchedulerConfig.of(1, 64, 64, 16).withPolicy(policy);
  }

  /** Steps (indices) whose plan computes tokens of {@code id}. */
  static List<Integer> stepsOf(LoopHarness h, String id) {
    return IntStream.range(0, h.steps.size())
        .filter(
            i ->
                h.steps.get(i).plan().stream()
                    .flatMap(p -> p.sequences().stream())
                    .anyMatch(s -> s.requestId().equals(id)))
        .boxed()
        .toList();
  }

  static int firstStepOf(LoopHarness h, String id) {
    return stepsOf(h, id).get(0);
  }

  static List<String> preempted(LoopHarness h) {
    return h.events.stream()
        .filter(e -> e instanceof ServingEvent.Preempted)
        .map(ServingEvent::requestId)
        .toList();
  }

  @Test
  void fcfsServesInArrivalOrder() {
    LoopHarness h = LoopHarness.of(oneAtATime(SchedulingPolicy.FCFS), CacheConfig.of(4, 32));
    h.submit(request("a", 0, 4, 3).withPriority(9));
    h.submit(request("b", 10, 4, 3).withPriority(1));
    h.submit(request("c", 20, 4, 3).withPriority(5));
    h.runToCompletion(100);
    assertThat(firstStepOf(h, "a")).isLessThan(firstStepOf(h, "b"));
    assertThat(firstStepOf(h, "b")).isLessThan(firstStepOf(h, "c"));
  }

  @Test
  void priorityServesMostUrgentFirstAndArrivalBreaksTies() {
    LoopHarness h = LoopHarness.of(oneAtATime(SchedulingPolicy.PRIORITY), CacheConfig.of(4, 32));
    h.submit(request("late-low", 0, 4, 3).withPriority(9));
    h.submit(request("mid-1", 10, 4, 3).withPriority(5));
    h.submit(request("urgent", 20, 4, 3).withPriority(1));
    h.submit(request("mid-2", 30, 4, 3).withPriority(5));
    h.runToCompletion(100);
    List<String> order =
        List.of("urgent", "mid-1", "mid-2", "late-low").stream()
            .sorted((x, y) -> Integer.compare(firstStepOf(h, x), firstStepOf(h, y)))
            .toList();
    assertThat(order).containsExactly("urgent", "mid-1", "mid-2", "late-low");
    assertThat(preempted(h)).isEmpty();
  }

  @Test
  void aMoreUrgentArrivalPreemptsTheLeastUrgentRunningRequest() {
    LoopHarness h = LoopHarness.of(oneAtATime(SchedulingPolicy.PRIORITY), CacheConfig.of(4, 32));
    Request low = request("low", 0, 4, 8).withPriority(5);
    Request high = request("high", 10, 4, 3).withPriority(1);
    h.submit(low);
    h.step();
    h.step();
    h.submit(high);
    h.step();
    assertThat(preempted(h)).containsExactly("low");
    assertThat(h.steps.get(2).plan().orElseThrow().sequences())
        .extracting(ScheduledSequence::requestId)
        .containsExactly("high");
    h.runToCompletion(100);
    assertThat(h.finished("high").stats().endNanos())
        .isLessThan(h.finished("low").stats().endNanos());
    assertThat(h.finished("low").outputTokens()).isEqualTo(h.expected(low).tokens());
    assertThat(h.finished("low").stats().preemptions()).isEqualTo(1);
  }

  @Test
  void equalPrioritiesNeverPreemptEachOther() {
    LoopHarness h = LoopHarness.of(oneAtATime(SchedulingPolicy.PRIORITY), CacheConfig.of(4, 32));
    h.submit(request("first", 0, 4, 6).withPriority(3));
    h.step();
    h.submit(request("second", 10, 4, 3).withPriority(3));
    h.runToCompletion(100);
    assertThat(preempted(h)).isEmpty();
    assertThat(firstStepOf(h, "second")).isGreaterThan(stepsOf(h, "first").get(5));
  }

  /**
   * Two requests that cannot both grow to their length in a pool of 6 blocks of 2 tokens; "old" is
   * admitted first (FCFS keeps admission order) but is the less urgent one.
   */
  private static LoopHarness memoryPressure(SchedulingPolicy policy) {
    SchedulerConfig config = SchedulerConfig.of(2, 64, 64, 16).withPolicy(policy);
    LoopHarness h = LoopHarness.of(config, CacheConfig.of(2, 6));
    h.submit(request("old", 0, 4, 7).withPriority(5));
    h.step();
    h.submit(request("new", 10, 4, 7).withPriority(1));
    h.runToCompletion(200);
    return h;
  }

  @Test
  void underMemoryPressureFcfsPreemptsTheMostRecentlyAdmitted() {
    LoopHarness h = memoryPressure(SchedulingPolicy.FCFS);
    assertThat(preempted(h)).isNotEmpty().containsOnly("new");
    assertThat(h.finished("old").stats().preemptions()).isZero();
  }

  @Test
  void underMemoryPressurePriorityPreemptsTheLeastUrgent() {
    LoopHarness h = memoryPressure(SchedulingPolicy.PRIORITY);
    assertThat(preempted(h)).isNotEmpty().containsOnly("old");
    assertThat(h.finished("new").stats().preemptions()).isZero();
  }

  @Test
  void fcfsPutsAPreemptedRequestBackAheadOfLaterArrivals() {
    SchedulerConfig config = SchedulerConfig.of(2, 64, 64, 16);
    LoopHarness h = LoopHarness.of(config, CacheConfig.of(2, 6));
    h.submit(request("a", 0, 4, 7));
    h.submit(request("b", 10, 4, 7));
    h.submit(request("c", 20, 2, 2));
    h.runToCompletion(200);
    List<Integer> stepsOfB = stepsOf(h, "b");
    int preemptionStep =
        IntStream.range(0, h.steps.size())
            .filter(
                i ->
                    h.steps.get(i).events().stream()
                        .anyMatch(
                            e ->
                                e instanceof ServingEvent.Preempted p && p.requestId().equals("b")))
            .findFirst()
            .orElseThrow();
    int resumed = stepsOfB.stream().filter(s -> s > preemptionStep).findFirst().orElseThrow();
    assertThat(firstStepOf(h, "c")).isGreaterThanOrEqualTo(resumed);
  }
}
