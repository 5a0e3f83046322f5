package dev.weft.scheduler;

import dev.weft.scheduler.SequenceState.Status;
import dev.weft.scheduler.kv.KvBlockManager;
import dev.weft.scheduler.kv.PrefixHit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Decides what runs in each step (vLLM v1's scheduler, plus static batching and swapping). There
 * are no phases: every sequence has tokens whose KV is computed and tokens that are not, and a step
 * gives some sequences some of their uncomputed tokens, under {@code max_num_seqs} and {@code
 * max_batched_tokens}.
 *
 * <p>One step: (static mode: form a batch if none runs); running requests first, in policy order,
 * each taking what it needs (a decode token, or the next prefill chunk) and preempting from the
 * tail of the running list when the pool is out of blocks; then, unless that preempted someone,
 * waiting requests from the head of the queue until one does not fit. Decisions depend only on the
 * requests, the configuration and the clock readings passed in.
 */
final class Scheduler {
  private final SchedulerConfig config;
  private final CacheConfig cache;
  private final KvBlockManager kv;
  private final WaitingQueue waiting;

  /** In policy order: admission order (FCFS) or priority order; the tail is preempted first. */
  private final List<SequenceState> running = new ArrayList<>();

  private enum Placement {
    SCHEDULED,
    /** Not enough token budget (a whole prompt when chunked prefill is off). */
    NO_BUDGET,
    NO_ROOM
  }

  Scheduler(ServingConfig config) {
    this.config = config.scheduler();
    this.cache = config.cache();
    this.kv = new KvBlockManager(cache);
    this.waiting = WaitingQueue.create(this.config.policy());
  }

  KvBlockManager kv() {
    return kv;
  }

  int numWaiting() {
    return waiting.size();
  }

  int numRunning() {
    return running.size();
  }

  List<SequenceState> running() {
    return List.copyOf(running);
  }

  Collection<SequenceState> waiting() {
    return List.copyOf(waiting.inOrder());
  }

  /** The most KV blocks a request can ever hold: its prompt and outputs, but the last token. */
  int worstCaseBlocks(Request request) {
    int maxTokens =
        (int)
            Math.min(
                (long) request.promptTokens().size() + request.sampling().maxTokens(),
                config.maxModelLen());
    return kv.blocksFor(maxTokens - 1);
  }

  /** The most blocks one request may need: what a lone request is sure to get. */
  int blocksOneRequestCanHave() {
    return cache.numBlocks() - cache.watermarkBlocks();
  }

  void enqueue(SequenceState sequence) {
    waiting.addArrival(sequence);
  }

  /** Takes a request out, wherever it is, and frees its blocks. */
  void remove(SequenceState sequence) {
    if (sequence.status == Status.RUNNING) {
      running.remove(sequence);
    } else if (sequence.status == Status.WAITING) {
      waiting.remove(sequence);
    }
    kv.free(sequence.kv);
    sequence.status = Status.DONE;
  }

  StepBuilder schedule(long step, long nowNanos) {
    StepBuilder builder = new StepBuilder(step, nowNanos, config.maxBatchedTokens(), cache);
    if (config.mode() == BatchingMode.STATIC && running.isEmpty()) {
      formStaticBatch();
    }
    if (config.policy() == SchedulingPolicy.PRIORITY) {
      running.sort(SequenceState.PRIORITY_ORDER);
    }
    boolean preempted = scheduleRunning(builder);
    if (config.mode() == BatchingMode.CONTINUOUS && !preempted) {
      admitWaiting(builder);
    }
    return builder;
  }

  /**
   * Static batching: take requests in policy order while seats last and their worst-case footprints
   * fit the pool together, so that the batch never preempts. Their prompts are then scheduled like
   * any running request's, chunked under the token budget.
   */
  private void formStaticBatch() {
    int reserved = 0;
    while (!waiting.isEmpty() && running.size() < config.maxNumSeqs()) {
      int needs = worstCaseBlocks(waiting.peek().request);
      if (reserved + needs > cache.numBlocks()) {
        break;
      }
      reserved += needs;
      SequenceState sequence = waiting.poll();
      sequence.status = Status.RUNNING;
      running.add(sequence);
    }
  }

  /** Returns whether anyone was preempted. */
  private boolean scheduleRunning(StepBuilder step) {
    boolean preempted = false;
    int i = 0;
    while (i < running.size() && step.budget() > 0) {
      SequenceState sequence = running.get(i);
      Placement placement = place(sequence, step, false);
      if (placement != Placement.NO_ROOM) {
        i++; // scheduled, or (static mode, no chunking) its prompt waits for a step with budget
        continue;
      }
      // Out of blocks: free the tail's. If the tail is this request, it waits itself.
      preempt(running.get(running.size() - 1), step);
      preempted = true;
    }
    return preempted;
  }

  private void admitWaiting(StepBuilder step) {
    while (!waiting.isEmpty()) {
      SequenceState head = waiting.peek();
      boolean admitted = false;
      if (running.size() < config.maxNumSeqs() && step.budget() > 0) {
        admitted = place(head, step, true) == Placement.SCHEDULED;
      }
      if (admitted) {
        waiting.poll();
        head.status = Status.RUNNING;
        running.add(head);
        if (config.policy() == SchedulingPolicy.PRIORITY) {
          running.sort(SequenceState.PRIORITY_ORDER);
        }
      } else if (!preemptForMoreUrgent(head, step)) {
        return; // head-of-line: nobody overtakes the head
      }
    }
  }

  /**
   * Priority policy: a waiting request that cannot get in (no seat, budget or blocks) takes the
   * place of the least urgent running request if that one's priority is strictly lower. Equal
   * priorities never preempt each other, so this cannot cycle.
   */
  private boolean preemptForMoreUrgent(SequenceState head, StepBuilder step) {
    if (config.policy() != SchedulingPolicy.PRIORITY || running.isEmpty()) {
      return false;
    }
    SequenceState leastUrgent = running.get(running.size() - 1);
    if (leastUrgent.request.priority() <= head.request.priority()) {
      return false;
    }
    preempt(leastUrgent, step);
    return true;
  }

  /**
   * Gives {@code sequence} its next tokens, within the remaining budget, and the blocks to hold
   * them; or changes nothing and says why not.
   */
  private Placement place(SequenceState sequence, StepBuilder step, boolean keepWatermark) {
    if (sequence.kv.isSwappedOut()) {
      int tokens = fit(sequence.numTokens() - sequence.computedTokens(), step.budget());
      if (tokens == 0) {
        return Placement.NO_BUDGET;
      }
      if (!kv.swapIn(sequence.kv, sequence.allTokens(), tokens, keepWatermark, step.swapIn)) {
        return Placement.NO_ROOM;
      }
      step.markSwappedIn(sequence);
      step.schedule(sequence, tokens);
      return Placement.SCHEDULED;
    }
    boolean holdsNothing = sequence.kv.numBlocks() == 0 && sequence.computedTokens() == 0;
    PrefixHit hit =
        holdsNothing ? kv.findCachedPrefix(sequence.kv, sequence.allTokens()) : PrefixHit.NONE;
    int tokens =
        fit(sequence.numTokens() - sequence.computedTokens() - hit.tokens(), step.budget());
    if (tokens == 0) {
      return Placement.NO_BUDGET;
    }
    if (!kv.allocate(sequence.kv, hit, tokens, keepWatermark)) {
      return Placement.NO_ROOM;
    }
    if (!sequence.admittedOnce) {
      sequence.admittedOnce = true;
      sequence.prefixHitTokens = hit.tokens();
      kv.recordPrefixLookup(sequence.numTokens(), hit.tokens());
    }
    step.schedule(sequence, tokens);
    return Placement.SCHEDULED;
  }

  /** How many of {@code remaining} tokens to compute now; 0 if none may be. */
  private int fit(int remaining, int budget) {
    if (config.chunkedPrefill()) {
      return Math.min(remaining, budget);
    }
    return remaining <= budget ? remaining : 0;
  }

  private void preempt(SequenceState victim, StepBuilder step) {
    running.remove(victim);
    PreemptionMode mode = PreemptionMode.RECOMPUTE;
    if (config.preemption() == PreemptionMode.SWAP && kv.swapOut(victim.kv, step.swapOut)) {
      mode = PreemptionMode.SWAP;
    } else {
      kv.free(victim.kv);
    }
    step.recordPreemption(victim, mode);
    victim.preemptions++;
    victim.status = Status.WAITING;
    waiting.addPreempted(victim);
  }
}
