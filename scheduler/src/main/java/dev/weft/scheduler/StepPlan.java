package dev.weft.scheduler;

import java.util.List;

/**
 * Everything a runner needs to execute one step; immutable, so that it can be logged, replayed and
 * compared with a golden file.
 *
 * <p>A runner applies it in this order: {@code swapOut} (device block to host block), {@code
 * swapIn} (host block to device block), {@code copies} (device to device), then the forward pass
 * over {@code sequences}. The order matters: a device block swapped out in this step may be handed
 * to another sequence in the same step, so its old contents must be copied out before anything
 * writes to it. The scheduler never swaps a host block out in the step that it swaps it in (host
 * blocks freed by a swap-in are released only after the step).
 *
 * @param step index of the step, from 0
 * @param blockSize token slots per block (slot = block * blockSize + offset)
 * @param sequences the sequences to compute, in scheduling order
 * @param swapOut device-to-host copies
 * @param swapIn host-to-device copies
 * @param copies device-to-device copies; no present policy produces them (prefix sharing uses only
 *     full, immutable blocks, so nothing is ever copied on write), but a runner implements them so
 *     that forked sequences can be added without changing its contract
 * @param modelledSwapNanos what the cache's {@link SwapCostModel} says the swaps cost
 */
public record StepPlan(
    long step,
    int blockSize,
    List<ScheduledSequence> sequences,
    List<BlockCopy> swapOut,
    List<BlockCopy> swapIn,
    List<BlockCopy> copies,
    long modelledSwapNanos) {

  public StepPlan {
    sequences = List.copyOf(sequences);
    swapOut = List.copyOf(swapOut);
    swapIn = List.copyOf(swapIn);
    copies = List.copyOf(copies);
  }

  /** Tokens computed in this step, over all sequences. */
  public int numBatchedTokens() {
    int total = 0;
    for (ScheduledSequence sequence : sequences) {
      total += sequence.numTokens();
    }
    return total;
  }

  /** How many sequences sample a token after this step. */
  public int numSamples() {
    int total = 0;
    for (ScheduledSequence sequence : sequences) {
      total += sequence.sample() ? 1 : 0;
    }
    return total;
  }

  public boolean isEmpty() {
    return sequences.isEmpty() && swapOut.isEmpty() && swapIn.isEmpty() && copies.isEmpty();
  }
}
