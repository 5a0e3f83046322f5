package dev.weft.scheduler;

import java.util.Arrays;

/**
 * How many attention calls per layer a step plan costs on the engine's paged forward: one per
 * multi-token chunk (each attends on its own, causally), and one per group of single-token
 * sequences, where single-token sequences ordered by context blocks are grouped while the longest
 * has at most twice the shortest's blocks (the engine pads a group to its longest context). Each
 * call is a fixed number of tensor operations per layer, so on a CPU with per-operation overhead it
 * is a cost of its own, apart from the tokens and the context attended; the step records and the
 * simulator's step shapes count it the same way.
 */
public final class AttentionGroups {

  private AttentionGroups() {}

  public static int count(StepPlan plan) {
    int multi = 0;
    int singles = 0;
    int[] blocks = new int[plan.sequences().size()];
    for (ScheduledSequence s : plan.sequences()) {
      if (s.numTokens() > 1) {
        multi++;
      } else {
        blocks[singles++] = (s.contextLength() + plan.blockSize() - 1) / plan.blockSize();
      }
    }
    if (singles == 0) {
      return multi;
    }
    Arrays.sort(blocks, 0, singles);
    int groups = 1;
    int shortest = blocks[0];
    for (int i = 1; i < singles; i++) {
      if (blocks[i] > 2 * shortest) {
        groups++;
        shortest = blocks[i];
      }
    }
    return multi + groups;
  }
}
