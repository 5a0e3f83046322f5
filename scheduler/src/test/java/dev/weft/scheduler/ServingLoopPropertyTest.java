package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.testing.FakeRunner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The serving loop over random workloads (arrivals, prompt lengths with shared prefixes, output
 * lengths, priorities, deadlines, aborts) and random tiny configurations. After every step the
 * harness checks the budgets and the block accounting ({@link Invariants}); at the end every
 * request must have exactly one terminal event, every finished request must hold exactly the tokens
 * the fake runner's reference gives it alone, and every aborted one a prefix of them. Seeds are
 * fixed, so a failure reproduces.
 */
class ServingLoopPropertyTest {
  private static final int MAX_ITERATIONS = 5_000;
  private static final long MS = 1_000_000;

  /** One request of a workload; {@code deadlineSteps} 0 and {@code abortAt} -1 mean none. */
  record Spec(
      int arrival,
      int family,
      int promptLength,
      int maxTokens,
      int priority,
      int deadlineSteps,
      int abortAt,
      boolean stopToken) {}

  @Provide
  Arbitrary<List<Spec>> workload() {
    Arbitrary<Tuple.Tuple4<Integer, Integer, Integer, Integer>> shape =
        Combinators.combine(
                Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 20),
                Arbitraries.integers().between(1, 14))
            .as(Tuple::of);
    Arbitrary<Tuple.Tuple4<Integer, Integer, Integer, Boolean>> fate =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 40).edgeCases(e -> e.includeOnly(0)),
                Arbitraries.integers().between(-1, 30).edgeCases(e -> e.includeOnly(-1)),
                Arbitraries.of(false, false, false, true))
            .as(Tuple::of);
    return Combinators.combine(shape, fate)
        .as(
            (s, f) ->
                new Spec(
                    s.get1(),
                    s.get2(),
                    s.get3(),
                    s.get4(),
                    f.get1(),
                    f.get2() < 25 ? 0 : f.get2() - 20,
                    f.get3() < 20 ? -1 : f.get3(),
                    f.get4()))
        .list()
        .ofMinSize(3)
        .ofMaxSize(20);
  }

  @Property(tries = 250, seed = "4242")
  void everyRequestEndsOnceWithTheTokensItWouldGetAlone(
      @ForAll("workload") List<Spec> workload,
      @ForAll @IntRange(min = 1, max = 4) int blockSize,
      @ForAll @IntRange(min = -2, max = 6) int extraBlocks,
      @ForAll @IntRange(min = 1, max = 6) int maxNumSeqs,
      @ForAll @IntRange(min = 1, max = 16) int budget,
      @ForAll @IntRange(min = 12, max = 40) int maxModelLen,
      @ForAll @IntRange(min = 2, max = 20) int maxWaiting,
      @ForAll boolean chunked,
      @ForAll BatchingMode mode,
      @ForAll SchedulingPolicy policy,
      @ForAll PreemptionMode preemption,
      @ForAll boolean prefixCaching,
      @ForAll @IntRange(min = 0, max = 8) int hostBlocks,
      @ForAll @DoubleRange(min = 0, max = 0.2) double watermark) {
    SchedulerConfig scheduler =
        new SchedulerConfig(
            maxNumSeqs,
            chunked ? budget : maxModelLen + budget,
            maxModelLen,
            maxWaiting,
            chunked,
            mode,
            policy,
            preemption);
    // Mostly pools where one request of the longest context fits, but few fit together.
    int contextBlocks = (maxModelLen + blockSize - 1) / blockSize;
    int numBlocks = Math.max(1, (int) Math.ceil((contextBlocks + extraBlocks) / (1 - watermark)));
    int host = preemption == PreemptionMode.SWAP ? hostBlocks + 1 : hostBlocks;
    CacheConfig cache =
        new CacheConfig(blockSize, numBlocks, watermark, prefixCaching, host, SwapCostModel.FREE);
    LoopHarness h = new LoopHarness(new ServingConfig(scheduler, cache));
    List<Request> requests = drive(h, workload);

    for (Request request : requests) {
      ServingEvent end = h.terminal(request.id());
      FakeRunner.Expected expected = h.expected(request);
      if (end instanceof ServingEvent.Finished f) {
        assertThat(f.outputTokens()).as("tokens of %s", request.id()).isEqualTo(expected.tokens());
        assertThat(f.reason()).isEqualTo(expected.reason());
      } else if (end instanceof ServingEvent.Aborted a) {
        assertThat(a.reason()).isNotEqualTo(AbortReason.RUNNER_ERROR);
        assertThat(a.outputTokens())
            .isEqualTo(expected.tokens().subList(0, a.outputTokens().size()));
      } else {
        assertRejectionIsJustified((ServingEvent.Rejected) end, request, h);
      }
      ImmutableIntList streamed = h.streamed(request.id());
      assertThat(streamed).isEqualTo(expected.tokens().subList(0, streamed.size()));
    }
    boolean swapped =
        h.events.stream()
            .anyMatch(
                e -> e instanceof ServingEvent.Preempted p && p.mode() == PreemptionMode.SWAP);
    Statistics.label("preempted").collect(h.preemptions > 0);
    Statistics.label("swapped").collect(swapped);
    Statistics.label("prefix hits").collect(h.loop.kvStats().prefixHitTokens() > 0);
    Statistics.label("aborted")
        .collect(h.events.stream().anyMatch(e -> e instanceof ServingEvent.Aborted));
    Statistics.label("rejected")
        .collect(h.events.stream().anyMatch(e -> e instanceof ServingEvent.Rejected));
    Statistics.label("preempted").coverage(c -> c.check(true).percentage(p -> p >= 10));
    Statistics.label("swapped").coverage(c -> c.check(true).percentage(p -> p >= 5));
    Statistics.label("prefix hits").coverage(c -> c.check(true).percentage(p -> p >= 10));
    Statistics.label("aborted").coverage(c -> c.check(true).percentage(p -> p >= 10));
    Statistics.label("rejected").coverage(c -> c.check(false).percentage(p -> p >= 30));
  }

  /**
   * Submits each spec at its arrival iteration, aborts at its abort iteration, and steps until all
   * is done; an idle loop moves the clock on so that deadlines come.
   */
  static List<Request> drive(LoopHarness h, List<Spec> workload) {
    List<Spec> byArrival = new ArrayList<>(workload);
    byArrival.sort(Comparator.comparingInt(Spec::arrival));
    List<Request> requests = new ArrayList<>();
    Map<Integer, List<String>> abortsAt = new HashMap<>();
    int next = 0;
    for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
      while (next < byArrival.size() && byArrival.get(next).arrival() <= iteration) {
        Spec spec = byArrival.get(next);
        Request request = toRequest("r" + next, next, spec, h.clock.nanoTime());
        requests.add(request);
        h.submit(request);
        if (spec.abortAt() >= 0) {
          abortsAt
              .computeIfAbsent(iteration + spec.abortAt(), k -> new ArrayList<>())
              .add(request.id());
        }
        next++;
      }
      for (String id : abortsAt.getOrDefault(iteration, List.of())) {
        h.loop.abort(id);
      }
      if (next == byArrival.size() && !h.loop.hasWork()) {
        Invariants.checkDrained(h.loop);
        return requests;
      }
      if (h.step().isIdle()) {
        h.clock.advance(MS);
      }
    }
    throw new AssertionError("not done after " + MAX_ITERATIONS + " iterations: livelock?");
  }

  /** Requests of one family share their first 8 prompt tokens; seeds alternate. */
  static Request toRequest(String id, int index, Spec spec, long now) {
    int[] prompt = new int[spec.promptLength()];
    for (int k = 0; k < prompt.length; k++) {
      prompt[k] = k < 8 ? spec.family() * 50 + k : 300 + (index * 31 + k) % 200;
    }
    Set<Integer> stops = spec.stopToken() ? Set.of((index * 13) % 64, 7) : Set.of();
    SamplingParams sampling =
        new SamplingParams(0, 0, 1, 0, 1, 0, index % 2, spec.maxTokens(), stops);
    Request request =
        new Request(
            id, ImmutableIntList.of(prompt), sampling, spec.priority(), Request.NO_DEADLINE);
    return spec.deadlineSteps() == 0
        ? request
        : request.withDeadline(now + spec.deadlineSteps() * MS);
  }

  private static void assertRejectionIsJustified(
      ServingEvent.Rejected rejected, Request request, LoopHarness h) {
    SchedulerConfig limits = h.config.scheduler();
    CacheConfig cache = h.config.cache();
    int prompt = request.promptTokens().size();
    int kvTokens = Math.min(prompt + request.sampling().maxTokens(), limits.maxModelLen()) - 1;
    int blocks = (kvTokens + cache.blockSize() - 1) / cache.blockSize();
    RejectionReason expected =
        prompt >= limits.maxModelLen()
            ? RejectionReason.PROMPT_TOO_LONG
            : blocks > cache.numBlocks() - cache.watermarkBlocks()
                ? RejectionReason.NEVER_FITS
                : RejectionReason.QUEUE_FULL;
    assertThat(rejected.reason()).as("rejection of %s", request.id()).isEqualTo(expected);
  }

  @Property(tries = 60, seed = "777")
  void prefixCacheHitsNeverChangeTheTokensARequestReceives(
      @ForAll("workload") List<Spec> workload,
      @ForAll @IntRange(min = 1, max = 4) int blockSize,
      @ForAll @IntRange(min = 8, max = 24) int numBlocks,
      @ForAll PreemptionMode preemption) {
    List<Spec> plain =
        workload.stream()
            .map(
                s ->
                    new Spec(
                        s.arrival(), s.family(), s.promptLength(), s.maxTokens(), 0, 0, -1, false))
            .toList();
    Map<String, ImmutableIntList> withCache = new HashMap<>();
    long hits = 0;
    for (boolean caching : new boolean[] {true, false}) {
      SchedulerConfig scheduler = SchedulerConfig.of(3, 8, 40, 32).withPreemption(preemption);
      CacheConfig cache = new CacheConfig(blockSize, numBlocks, 0, caching, 4, SwapCostModel.FREE);
      LoopHarness h = new LoopHarness(new ServingConfig(scheduler, cache));
      for (Request request : drive(h, plain)) {
        if (h.terminal(request.id()) instanceof ServingEvent.Finished f) {
          if (caching) {
            withCache.put(request.id(), f.outputTokens());
          } else {
            assertThat(f.outputTokens()).isEqualTo(withCache.get(request.id()));
          }
        }
      }
      if (caching) {
        hits = h.loop.kvStats().prefixHitTokens();
      }
    }
    Statistics.label("hits").collect(hits > 0);
    Statistics.label("hits").coverage(c -> c.check(true).percentage(p -> p >= 50));
  }
}
