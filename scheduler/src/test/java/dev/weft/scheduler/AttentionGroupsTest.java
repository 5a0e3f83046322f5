package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Attention calls per layer: one per multi-token chunk, one per group of similar decodes. */
class AttentionGroupsTest {

  /** A sequence computing {@code tokens} tokens at the end of a context of {@code context}. */
  static ScheduledSequence seq(String id, int tokens, int context) {
    int[] ids = new int[tokens];
    int[] slots = new int[tokens];
    for (int i = 0; i < tokens; i++) {
      slots[i] = context - tokens + i;
    }
    int[] blocks = new int[(context + 3) / 4];
    for (int b = 0; b < blocks.length; b++) {
      blocks[b] = b;
    }
    return new ScheduledSequence(
        id,
        ImmutableIntList.of(ids),
        context - tokens,
        ImmutableIntList.of(blocks),
        ImmutableIntList.of(slots),
        true,
        SamplingParams.greedy(4),
        ImmutableIntList.of(ids),
        ImmutableIntList.of(new int[0]));
  }

  static int groups(ScheduledSequence... sequences) {
    return AttentionGroups.count(
        new StepPlan(0, 4, List.of(sequences), List.of(), List.of(), List.of(), 0));
  }

  @Test
  void countsChunksAndDecodeGroupsWhoseLongestIsAtMostTwiceTheShortest() {
    assertThat(groups()).isZero();
    assertThat(groups(seq("p", 8, 8))).isEqualTo(1);
    // decodes of 1, 2, 2 blocks share a group; 5 blocks start another; 9 blocks (<= 10) joins it
    assertThat(groups(seq("a", 1, 4), seq("b", 1, 8), seq("c", 1, 6), seq("d", 1, 20)))
        .isEqualTo(2);
    assertThat(groups(seq("a", 1, 4), seq("d", 1, 20), seq("e", 1, 36))).isEqualTo(2);
    // two prompt chunks and one decode group
    List<ScheduledSequence> mixed = new ArrayList<>();
    mixed.add(seq("p1", 16, 16));
    mixed.add(seq("p2", 3, 40));
    mixed.add(seq("d1", 1, 9));
    mixed.add(seq("d2", 1, 12));
    assertThat(groups(mixed.toArray(new ScheduledSequence[0]))).isEqualTo(3);
  }
}
