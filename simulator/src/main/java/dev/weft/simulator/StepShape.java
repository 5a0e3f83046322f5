package dev.weft.simulator;

import dev.weft.scheduler.AttentionGroups;
import dev.weft.scheduler.ScheduledSequence;
import dev.weft.scheduler.StepPlan;
import dev.weft.scheduler.StepRecord;

/**
 * What a cost model sees of a step: the same shape features a {@link StepRecord} carries, computed
 * from a plan (in the simulator) or read back from a record (when fitting).
 *
 * @param prefillSequences sequences computing a prompt chunk (or a recomputation)
 * @param prefillTokens their tokens
 * @param decodeSequences sequences computing one generated token
 * @param prefillAttentionWork sum over prefill sequences of chunk length times context length
 * @param decodeContextTokens sum of the decode sequences' context lengths
 * @param samples sequences that sample a token (rows of the classifier)
 * @param swapBlocks blocks copied in or out
 * @param attentionGroups attention calls per layer ({@link AttentionGroups}): per-operation costs
 */
public record StepShape(
    int prefillSequences,
    int prefillTokens,
    int decodeSequences,
    long prefillAttentionWork,
    long decodeContextTokens,
    int samples,
    int swapBlocks,
    int attentionGroups) {

  public StepShape {
    if (prefillSequences < 0
        || prefillTokens < 0
        || decodeSequences < 0
        || prefillAttentionWork < 0
        || decodeContextTokens < 0
        || samples < 0
        || swapBlocks < 0
        || attentionGroups < 0) {
      throw new IllegalArgumentException("step shape counts must be >= 0");
    }
  }

  public static StepShape of(StepPlan plan) {
    int prefillSeqs = 0;
    int prefillTokens = 0;
    int decodes = 0;
    long work = 0;
    long decodeContext = 0;
    int samples = 0;
    for (ScheduledSequence s : plan.sequences()) {
      samples += s.sample() ? 1 : 0;
      if (s.isDecode()) {
        decodes++;
        decodeContext += s.contextLength();
      } else {
        prefillSeqs++;
        prefillTokens += s.numTokens();
        work += (long) s.numTokens() * s.contextLength();
      }
    }
    return new StepShape(
        prefillSeqs,
        prefillTokens,
        decodes,
        work,
        decodeContext,
        samples,
        plan.swapIn().size() + plan.swapOut().size(),
        AttentionGroups.count(plan));
  }

  /**
   * The shape of a recorded step. A record does not count samples; every decode samples and at most
   * every prefill sequence does, so the prefill sequences that finished their prompt are estimated
   * as all of them (the classifier rows of a step are a small part of its cost).
   *
   * @param attentionGroups the step's attention calls per layer, counted when it ran
   */
  public static StepShape of(StepRecord r, int attentionGroups) {
    return new StepShape(
        r.numPrefillSequences(),
        r.numPrefillTokens(),
        r.numDecodeSequences(),
        r.prefillAttentionWork(),
        r.decodeContextTokens(),
        r.numDecodeSequences() + r.numPrefillSequences(),
        r.swapInBlocks() + r.swapOutBlocks(),
        attentionGroups);
  }

  public int tokens() {
    return prefillTokens + decodeSequences;
  }

  public int sequences() {
    return prefillSequences + decodeSequences;
  }
}
