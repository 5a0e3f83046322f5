package dev.weft.trainer.lm;

import dev.weft.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * A token stream packed into fixed-length training windows. Every document is encoded with the
 * model's tokenizer, starting with BOS (llama2.c models saw stories separated by BOS), and the
 * documents are concatenated; window {@code i} covers tokens {@code [i * length, (i + 1) * length +
 * 1)}: {@code length} inputs and, shifted by one, their {@code length} next-token targets. A window
 * may span a document boundary, as in ordinary sequence packing.
 */
public final class TokenWindows {

  private final int[] stream;
  private final int length;
  private final int[] ids;

  private TokenWindows(int[] stream, int length, int[] ids) {
    this.stream = stream;
    this.length = length;
    this.ids = ids;
  }

  /** Encodes and packs {@code documents} into windows of {@code length} tokens. */
  public static TokenWindows pack(List<String> documents, Tokenizer tokenizer, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("window length must be >= 1, got " + length);
    }
    int[] stream = new int[0];
    int n = 0;
    for (String doc : documents) {
      int[] tokens = tokenizer.encode(doc, true);
      if (n + tokens.length > stream.length) {
        stream = Arrays.copyOf(stream, Math.max(2 * stream.length, n + tokens.length));
      }
      System.arraycopy(tokens, 0, stream, n, tokens.length);
      n += tokens.length;
    }
    int count = n <= 1 ? 0 : (n - 1) / length;
    int[] ids = new int[count];
    Arrays.setAll(ids, i -> i);
    return new TokenWindows(Arrays.copyOf(stream, n), length, ids);
  }

  /** Windows {@code i} with {@code i mod workers == rank}: one worker's disjoint share. */
  public TokenWindows shard(int rank, int workers) {
    if (workers < 1 || rank < 0 || rank >= workers) {
      throw new IllegalArgumentException("rank " + rank + " of " + workers + " workers");
    }
    int[] mine = Arrays.stream(ids).filter(i -> i % workers == rank).toArray();
    return new TokenWindows(stream, length, mine);
  }

  /** The first {@code n} windows (all if fewer): a bounded evaluation set. */
  public TokenWindows first(int n) {
    return new TokenWindows(stream, length, Arrays.copyOf(ids, Math.min(n, ids.length)));
  }

  public int count() {
    return ids.length;
  }

  public int length() {
    return length;
  }

  /** Tokens in the whole packed stream (all shards). */
  public int streamTokens() {
    return stream.length;
  }

  /**
   * Copies window {@code index}'s inputs and targets into slot {@code slot} of batch arrays of
   * {@code batch * length} tokens.
   */
  public void copy(int index, int slot, int[] inputs, int[] targets) {
    int start = ids[index] * length;
    System.arraycopy(stream, start, inputs, slot * length, length);
    System.arraycopy(stream, start + 1, targets, slot * length, length);
  }
}
