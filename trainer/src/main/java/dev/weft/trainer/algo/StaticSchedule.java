package dev.weft.trainer.algo;

import java.util.Arrays;
import java.util.Random;

/**
 * Ripples' static group scheduling: a rotating sequence of {@code workers} partitions of all
 * workers into disjoint groups (seeded shuffles; a remainder too small for a group joins the last
 * one). Iteration k uses partition {@code k mod workers}, so every worker computes the same
 * schedule locally and no generator round trip is needed.
 */
final class StaticSchedule {

  /** partitions[p][rank] = the sorted members of rank's group in partition p. */
  private final int[][][] partitions;

  StaticSchedule(int workers, int groupSize, long seed) {
    Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + 17);
    partitions = new int[workers][workers][];
    for (int p = 0; p < workers; p++) {
      int[] order = new int[workers];
      for (int i = 0; i < workers; i++) {
        order[i] = i;
      }
      for (int i = workers - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      int groups = Math.max(1, workers / groupSize);
      for (int g = 0; g < groups; g++) {
        int from = g * groupSize;
        int to = g == groups - 1 ? workers : from + groupSize;
        int[] members = Arrays.copyOfRange(order, from, to);
        Arrays.sort(members);
        for (int m : members) {
          partitions[p][m] = members;
        }
      }
    }
  }

  /** The members (ascending) of {@code rank}'s group at {@code iteration}. */
  int[] groupOf(long iteration, int rank) {
    return partitions[(int) (iteration % partitions.length)][rank].clone();
  }
}
