package dev.weft.engine.forward;

import java.util.Arrays;

/**
 * One sequence's part of a batched step: compute {@code tokens} at positions {@code start ..},
 * write their K/V to {@code slots}, attend over the positions held by {@code blockTable}.
 *
 * @param tokens token ids to compute (a prompt chunk or one decode token)
 * @param start position of the first of them; positions below it are already in the cache
 * @param blockTable pool block ids holding positions {@code [0, start + tokens.length)} in order
 * @param slots for each token, the pool slot ({@code block * blockSize + offset}) to write
 * @param wantLogits whether to return the logits after the last token
 */
public record SequenceChunk(
    int[] tokens, int start, int[] blockTable, int[] slots, boolean wantLogits) {

  public SequenceChunk {
    if (tokens.length == 0) {
      throw new IllegalArgumentException("a chunk computes at least one token");
    }
    if (slots.length != tokens.length) {
      throw new IllegalArgumentException(tokens.length + " tokens but " + slots.length + " slots");
    }
    if (start < 0) {
      throw new IllegalArgumentException("negative start position " + start);
    }
    tokens = tokens.clone();
    blockTable = blockTable.clone();
    slots = slots.clone();
  }

  /** Positions attended after this chunk. */
  public int contextLength() {
    return start + tokens.length;
  }

  /** The blocks holding positions {@code [0, contextLength())}: a prefix of the block table. */
  long[] contextBlocks(int blockSize) {
    int needed = (contextLength() + blockSize - 1) / blockSize;
    if (blockTable.length < needed) {
      throw new IllegalArgumentException(
          "block table of "
              + blockTable.length
              + " blocks cannot hold "
              + contextLength()
              + " positions of block size "
              + blockSize);
    }
    long[] out = new long[needed];
    for (int i = 0; i < needed; i++) {
      out[i] = blockTable[i];
    }
    return out;
  }

  @Override
  public String toString() {
    return "SequenceChunk[tokens="
        + tokens.length
        + ", start="
        + start
        + ", blocks="
        + Arrays.toString(blockTable)
        + ", logits="
        + wantLogits
        + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SequenceChunk c
        && start == c.start
        && wantLogits == c.wantLogits
        && Arrays.equals(tokens, c.tokens)
        && Arrays.equals(blockTable, c.blockTable)
        && Arrays.equals(slots, c.slots);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 31 + Arrays.hashCode(blockTable) * 17 + start;
  }
}
