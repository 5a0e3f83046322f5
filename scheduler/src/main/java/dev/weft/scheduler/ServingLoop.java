package dev.weft.scheduler;

import dev.weft.scheduler.SequenceState.Status;
import dev.weft.scheduler.kv.KvCacheStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The serving loop: admission, cancellation, deadlines and the step cycle, written against a {@link
 * Clock} and a {@link Runner} so that the live server and the simulator run the same decisions
 * (DESIGN.md, principle 1).
 *
 * <p>Single-threaded by design: the owner (the server's loop thread, the simulator's event loop)
 * calls {@link #submit}, {@link #abort} and {@link #step} from one thread; nothing here blocks or
 * starts threads. Each {@link #step()}: aborts what was cancelled or ran past its deadline,
 * schedules a plan, has the runner execute it, applies the sampled tokens, and returns the events
 * and the step's record.
 *
 * <pre>{@code
 * ServingLoop loop = new ServingLoop(config, System::nanoTime, runner);
 * loop.submit(Request.of("r1", promptTokens, SamplingParams.greedy(64)));
 * while (loop.hasWork()) {
 *   for (ServingEvent event : loop.step().events()) { ... stream tokens, close finished ... }
 * }
 * }</pre>
 */
public final class ServingLoop {
  private final ServingConfig config;
  private final Clock clock;
  private final Runner runner;
  private final Scheduler scheduler;

  private final Map<String, SequenceState> live = new HashMap<>();
  private final TreeSet<SequenceState> byDeadline = new TreeSet<>(SequenceState.DEADLINE_ORDER);
  private final Set<String> abortRequested = new LinkedHashSet<>();
  private final List<ServingEvent> pendingEvents = new ArrayList<>();
  private long submissions;
  private long steps;

  public ServingLoop(ServingConfig config, Clock clock, Runner runner) {
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.runner = Objects.requireNonNull(runner, "runner");
    this.scheduler = new Scheduler(config);
  }

  public ServingConfig config() {
    return config;
  }

  /**
   * Queues a request, or refuses it (queue full, prompt too long, never fits, duplicate id). A
   * refusal is also reported as a {@link ServingEvent.Rejected} by the next step, so that an owner
   * reading only events sees every request end.
   */
  public Admission submit(Request request) {
    Objects.requireNonNull(request, "request");
    long now = clock.nanoTime();
    Admission admission = check(request);
    if (admission instanceof Admission.Rejected rejected) {
      pendingEvents.add(
          new ServingEvent.Rejected(request.id(), rejected.reason(), rejected.message(), now));
      return admission;
    }
    SequenceState sequence = new SequenceState(request, submissions++, now);
    live.put(request.id(), sequence);
    if (request.hasDeadline()) {
      byDeadline.add(sequence);
    }
    scheduler.enqueue(sequence);
    return admission;
  }

  private Admission check(Request request) {
    SchedulerConfig limits = config.scheduler();
    int prompt = request.promptTokens().size();
    if (live.containsKey(request.id())) {
      return reject(request, RejectionReason.DUPLICATE_ID, "a live request already has this id");
    }
    if (prompt >= limits.maxModelLen()) {
      return reject(
          request,
          RejectionReason.PROMPT_TOO_LONG,
          "prompt has "
              + prompt
              + " tokens; the context holds "
              + limits.maxModelLen()
              + ", so at most "
              + (limits.maxModelLen() - 1)
              + " leave room to generate");
    }
    int needs = scheduler.worstCaseBlocks(request);
    if (needs > scheduler.blocksOneRequestCanHave()) {
      return reject(
          request,
          RejectionReason.NEVER_FITS,
          "prompt plus max tokens may need "
              + needs
              + " KV blocks; one request can have at most "
              + scheduler.blocksOneRequestCanHave()
              + ": lower max tokens or shorten the prompt");
    }
    if (scheduler.numWaiting() >= limits.maxWaiting()) {
      return reject(
          request,
          RejectionReason.QUEUE_FULL,
          "the waiting queue holds its maximum of " + limits.maxWaiting() + " requests");
    }
    return new Admission.Accepted(request.id());
  }

  private static Admission reject(Request request, RejectionReason reason, String detail) {
    return new Admission.Rejected(
        request.id(), reason, "request " + request.id() + " rejected: " + detail);
  }

  /**
   * Cancels a live request; its blocks are freed and its {@link ServingEvent.Aborted} reported at
   * the next step.
   *
   * @return whether the id named a live request
   */
  public boolean abort(String requestId) {
    if (!live.containsKey(requestId)) {
      return false;
    }
    abortRequested.add(requestId);
    return true;
  }

  /** Whether a step would do anything: requests to serve or events to report. */
  public boolean hasWork() {
    return !live.isEmpty() || !pendingEvents.isEmpty();
  }

  public int numWaiting() {
    return scheduler.numWaiting();
  }

  public int numRunning() {
    return scheduler.numRunning();
  }

  public KvCacheStats kvStats() {
    return scheduler.kv().stats();
  }

  Scheduler scheduler() {
    return scheduler;
  }

  /** One iteration: abort, schedule, run, apply. */
  public StepResult step() {
    long start = clock.nanoTime();
    List<ServingEvent> events = new ArrayList<>(pendingEvents);
    pendingEvents.clear();
    abortCancelledAndExpired(start, events);

    StepBuilder builder = scheduler.schedule(steps, start);
    events.addAll(builder.events);
    if (builder.isEmpty()) {
      scheduler.kv().endStep();
      return new StepResult(Optional.empty(), Optional.empty(), events);
    }
    StepPlan plan = builder.build();
    long scheduled = clock.nanoTime();
    RunnerResult result = null;
    String failure = null;
    try {
      result = runner.execute(plan);
      Objects.requireNonNull(result, "runner returned no result");
    } catch (RuntimeException e) {
      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    long ran = clock.nanoTime();
    if (failure == null) {
      failure = apply(builder, result, ran, events);
    }
    if (failure != null) {
      failStep(builder, failure, ran, events);
    }
    scheduler.kv().endStep();
    long end = clock.nanoTime();
    KvCacheStats kv = scheduler.kv().stats();
    StepRecord record =
        StepRecord.of(
            plan,
            start,
            scheduled - start,
            ran - scheduled,
            end - ran,
            builder.numPreempted(),
            scheduler.numRunning(),
            scheduler.numWaiting(),
            kv.usedBlocks(),
            kv.totalBlocks(),
            failure != null);
    steps++;
    return new StepResult(Optional.of(plan), Optional.of(record), events);
  }

  private void abortCancelledAndExpired(long now, List<ServingEvent> events) {
    for (String id : abortRequested) {
      SequenceState sequence = live.get(id);
      if (sequence != null) {
        retireAborted(sequence, AbortReason.CANCELLED, "cancelled", now, events);
      }
    }
    abortRequested.clear();
    while (!byDeadline.isEmpty() && byDeadline.first().request.deadlineNanos() <= now) {
      retireAborted(byDeadline.first(), AbortReason.DEADLINE, "deadline passed", now, events);
    }
  }

  /**
   * Records the computed tokens and the samples; returns a description of a runner contract
   * violation (a sample missing), or null.
   */
  private String apply(StepBuilder step, RunnerResult result, long now, List<ServingEvent> events) {
    Map<String, RunnerResult.Sample> samples;
    try {
      samples = result.byRequest();
    } catch (IllegalStateException e) {
      return e.getMessage();
    }
    Map<String, String> failures = result.failuresByRequest();
    List<StepBuilder.Entry> entries = step.entries();
    for (StepBuilder.Entry entry : entries) {
      String id = entry.sequence().id();
      if (entry.samples() && !samples.containsKey(id) && !failures.containsKey(id)) {
        return "runner returned no sample for " + id;
      }
    }
    for (StepBuilder.Entry entry : entries) {
      SequenceState sequence = entry.sequence();
      String failure = failures.get(sequence.id());
      if (failure != null) {
        // Its KV of this step may be garbage: never mark it computed (nor cache it as a prefix).
        retireAborted(sequence, AbortReason.RUNNER_ERROR, failure, now, events);
        continue;
      }
      scheduler
          .kv()
          .markComputed(sequence.kv, sequence.allTokens(), entry.start() + entry.numTokens());
      if (entry.samples()) {
        accept(sequence, samples.get(sequence.id()), now, events);
      }
    }
    return null;
  }

  private void accept(
      SequenceState sequence, RunnerResult.Sample sample, long now, List<ServingEvent> events) {
    SamplingParams sampling = sequence.request.sampling();
    boolean stop = sample.endOfSequence() || sampling.stopTokens().contains(sample.token());
    if (stop && !sampling.belowMinTokens(sequence.numOutputs())) {
      retireFinished(sequence, FinishReason.STOP, now, events);
      return;
    }
    sequence.appendOutput(sample.token());
    if (sequence.firstTokenNanos < 0) {
      sequence.firstTokenNanos = now;
    }
    events.add(
        new ServingEvent.TokenProduced(
            sequence.id(), sample.token(), sequence.numOutputs() - 1, now));
    if (sequence.numOutputs() >= sampling.maxTokens()) {
      retireFinished(sequence, FinishReason.MAX_TOKENS, now, events);
    } else if (sequence.numTokens() >= config.scheduler().maxModelLen()) {
      retireFinished(sequence, FinishReason.CONTEXT_LENGTH, now, events);
    }
  }

  /**
   * The runner failed: abort every request whose state depended on this step (its computed tokens,
   * or its block copies); the rest go on.
   */
  private void failStep(StepBuilder step, String failure, long now, List<ServingEvent> events) {
    Set<SequenceState> affected = step.swapped();
    for (StepBuilder.Entry entry : step.entries()) {
      affected.add(entry.sequence());
    }
    for (SequenceState sequence : affected) {
      if (sequence.status != Status.DONE) {
        retireAborted(sequence, AbortReason.RUNNER_ERROR, failure, now, events);
      }
    }
  }

  private void retireFinished(
      SequenceState sequence, FinishReason reason, long now, List<ServingEvent> events) {
    retire(sequence);
    events.add(
        new ServingEvent.Finished(
            sequence.id(), reason, sequence.outputTokens(), sequence.stats(now), now));
  }

  private void retireAborted(
      SequenceState sequence,
      AbortReason reason,
      String message,
      long now,
      List<ServingEvent> events) {
    retire(sequence);
    events.add(
        new ServingEvent.Aborted(
            sequence.id(), reason, message, sequence.outputTokens(), sequence.stats(now), now));
  }

  private void retire(SequenceState sequence) {
    scheduler.remove(sequence);
    live.remove(sequence.id());
    byDeadline.remove(sequence);
  }
}
