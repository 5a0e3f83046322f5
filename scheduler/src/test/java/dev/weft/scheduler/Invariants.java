package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.kv.KvBlockManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The scheduler's and block manager's invariants, checked between steps. */
final class Invariants {
  private Invariants() {}

  /** Budgets: tokens, sequences, one entry per request, a table that covers its slots. */
  static void checkPlan(StepPlan plan, ServingConfig config) {
    assertThat(plan.numBatchedTokens())
        .as("tokens in step %d", plan.step())
        .isLessThanOrEqualTo(config.scheduler().maxBatchedTokens());
    assertThat(plan.sequences().size())
        .as("sequences in step %d", plan.step())
        .isLessThanOrEqualTo(config.scheduler().maxNumSeqs());
    Set<String> ids = new HashSet<>();
    Set<Integer> slots = new HashSet<>();
    for (ScheduledSequence sequence : plan.sequences()) {
      assertThat(ids.add(sequence.requestId())).as("%s twice", sequence.requestId()).isTrue();
      assertThat(new HashSet<>(sequence.blockTable().asList()))
          .as("distinct blocks of %s", sequence.requestId())
          .hasSize(sequence.blockTable().size());
      int blockSize = config.cache().blockSize();
      assertThat(sequence.blockTable().size())
          .isEqualTo((sequence.contextLength() + blockSize - 1) / blockSize);
      for (int slot : sequence.slotMapping().asList()) {
        assertThat(slots.add(slot)).as("slot %d written twice", slot).isTrue();
      }
    }
  }

  /**
   * Every device block is held by exactly as many live sequences as its reference count says, and
   * is in the free queue exactly when nobody holds it; a block held twice is a cached full block.
   * Every host block belongs to at most one swapped-out request.
   */
  static void checkState(ServingLoop loop) {
    Scheduler scheduler = loop.scheduler();
    KvBlockManager kv = scheduler.kv();
    CacheConfig cache = loop.config().cache();
    SchedulerConfig limits = loop.config().scheduler();
    int[] holders = new int[cache.numBlocks()];
    int[] hostHolders = new int[cache.numHostBlocks()];
    List<SequenceState> live = new ArrayList<>(scheduler.running());
    live.addAll(scheduler.waiting());
    assertThat(scheduler.numRunning()).isLessThanOrEqualTo(limits.maxNumSeqs());
    for (SequenceState sequence : live) {
      ImmutableIntList blocks = sequence.kv.blocks();
      assertThat(new HashSet<>(blocks.asList())).hasSize(blocks.size());
      for (int block : blocks.asList()) {
        holders[block]++;
      }
      for (int block : sequence.kv.hostBlocks().asList()) {
        hostHolders[block]++;
      }
      if (sequence.status == SequenceState.Status.RUNNING) {
        assertThat(blocks.size())
            .as("blocks of running %s", sequence)
            .isEqualTo(kv.blocksFor(sequence.computedTokens()));
      } else {
        assertThat(sequence.status).isEqualTo(SequenceState.Status.WAITING);
        assertThat(blocks.isEmpty()).as("waiting %s holds no device block", sequence).isTrue();
        if (!sequence.kv.isSwappedOut()) {
          assertThat(sequence.computedTokens()).isZero();
        }
      }
    }
    int free = 0;
    for (int block = 0; block < holders.length; block++) {
      assertThat(kv.refCount(block)).as("ref count of block %d", block).isEqualTo(holders[block]);
      assertThat(kv.isInFreeQueue(block))
          .as("block %d free-queued", block)
          .isEqualTo(holders[block] == 0);
      if (holders[block] > 1) {
        assertThat(kv.isCached(block)).as("shared block %d is a cached full block", block).isTrue();
      }
      free += holders[block] == 0 ? 1 : 0;
    }
    assertThat(kv.numFreeBlocks()).as("no block lost").isEqualTo(free);
    int hostFree = 0;
    for (int block = 0; block < hostHolders.length; block++) {
      assertThat(hostHolders[block]).as("holders of host block %d", block).isLessThanOrEqualTo(1);
      assertThat(kv.isHostBlockFree(block)).isEqualTo(hostHolders[block] == 0);
      hostFree += hostHolders[block] == 0 ? 1 : 0;
    }
    assertThat(kv.numFreeHostBlocks()).isEqualTo(hostFree);
  }

  /** Nothing live: every reference count is back to zero; only cached blocks keep contents. */
  static void checkDrained(ServingLoop loop) {
    KvBlockManager kv = loop.scheduler().kv();
    CacheConfig cache = loop.config().cache();
    assertThat(loop.numRunning() + loop.numWaiting()).isZero();
    for (int block = 0; block < cache.numBlocks(); block++) {
      assertThat(kv.refCount(block)).isZero();
    }
    assertThat(kv.numFreeBlocks()).isEqualTo(cache.numBlocks());
    assertThat(kv.numFreeHostBlocks()).isEqualTo(cache.numHostBlocks());
    assertThat(loop.kvStats().usedBlocks()).isZero();
    assertThat(loop.kvStats().wasteSlots()).isZero();
  }
}
