package dev.weft.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects one step's decisions while the scheduler makes them: which sequences compute how many
 * tokens from where, the block copies, the preemptions and what is left of the token budget. A
 * sequence may be taken out again (a priority preemption of an already scheduled request), so the
 * immutable {@link StepPlan} is built only at the end.
 */
final class StepBuilder {
  /** One scheduled sequence: {@code numTokens} tokens from position {@code start}. */
  record Entry(SequenceState sequence, int start, int numTokens) {
    boolean samples() {
      return start + numTokens == sequence.numTokens();
    }
  }

  private final long step;
  private final long nowNanos;
  private final CacheConfig cache;
  private final Map<SequenceState, Entry> scheduled = new LinkedHashMap<>();
  private final Set<SequenceState> swappedIn = identitySet();
  private final Set<SequenceState> swappedOut = identitySet();
  private final List<SequenceState> preempted = new ArrayList<>();
  final List<BlockCopy> swapOut = new ArrayList<>();
  final List<BlockCopy> swapIn = new ArrayList<>();
  final List<ServingEvent> events = new ArrayList<>();
  private int budget;

  StepBuilder(long step, long nowNanos, int tokenBudget, CacheConfig cache) {
    this.step = step;
    this.nowNanos = nowNanos;
    this.budget = tokenBudget;
    this.cache = cache;
  }

  long nowNanos() {
    return nowNanos;
  }

  int budget() {
    return budget;
  }

  void schedule(SequenceState sequence, int numTokens) {
    if (numTokens < 1 || numTokens > budget) {
      throw new IllegalStateException(
          "scheduling " + numTokens + " tokens with " + budget + " left in the budget");
    }
    int start = sequence.computedTokens();
    if (scheduled.put(sequence, new Entry(sequence, start, numTokens)) != null) {
      throw new IllegalStateException(sequence.id() + " scheduled twice in one step");
    }
    budget -= numTokens;
    if (sequence.firstScheduledNanos < 0) {
      sequence.firstScheduledNanos = nowNanos;
    }
  }

  void markSwappedIn(SequenceState sequence) {
    swappedIn.add(sequence);
  }

  /** Takes a sequence out of this step, giving its tokens back to the budget. */
  void recordPreemption(SequenceState victim, PreemptionMode mode) {
    if (swappedIn.contains(victim)) {
      // Its swap-in copies run before swap-outs; swapping it out again would copy garbage.
      throw new IllegalStateException(victim.id() + " preempted in the step that swapped it in");
    }
    Entry entry = scheduled.remove(victim);
    if (entry != null) {
      budget += entry.numTokens();
    }
    preempted.add(victim);
    if (mode == PreemptionMode.SWAP) {
      swappedOut.add(victim);
    }
    events.add(new ServingEvent.Preempted(victim.id(), mode, nowNanos));
  }

  boolean isEmpty() {
    return scheduled.isEmpty() && swapOut.isEmpty() && swapIn.isEmpty();
  }

  List<Entry> entries() {
    return List.copyOf(scheduled.values());
  }

  int numPreempted() {
    return preempted.size();
  }

  /** Requests whose state depends on this step's block copies having run. */
  Set<SequenceState> swapped() {
    Set<SequenceState> all = identitySet();
    all.addAll(swappedIn);
    all.addAll(swappedOut);
    return all;
  }

  StepPlan build() {
    int blockSize = cache.blockSize();
    List<ScheduledSequence> sequences = new ArrayList<>(scheduled.size());
    for (Entry entry : scheduled.values()) {
      SequenceState sequence = entry.sequence();
      ImmutableIntList all = sequence.allTokens();
      ImmutableIntList blocks = sequence.kv.blocks();
      int[] slots = new int[entry.numTokens()];
      for (int i = 0; i < slots.length; i++) {
        int position = entry.start() + i;
        slots[i] = blocks.get(position / blockSize) * blockSize + position % blockSize;
      }
      sequences.add(
          new ScheduledSequence(
              sequence.id(),
              all.subList(entry.start(), entry.start() + entry.numTokens()),
              entry.start(),
              blocks,
              ImmutableIntList.of(slots),
              entry.samples(),
              sequence.request.sampling(),
              sequence.request.promptTokens(),
              sequence.outputTokens()));
    }
    SwapCostModel cost = cache.swapCost();
    long swapNanos = cost.nanosFor(swapOut.size()) + cost.nanosFor(swapIn.size());
    return new StepPlan(step, blockSize, sequences, swapOut, swapIn, List.of(), swapNanos);
  }

  private static Set<SequenceState> identitySet() {
    return Collections.newSetFromMap(new IdentityHashMap<>());
  }
}
