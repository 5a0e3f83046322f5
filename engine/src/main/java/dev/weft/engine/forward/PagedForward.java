package dev.weft.engine.forward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.weft.engine.model.LlamaConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One batched forward pass over many sequences at different positions, reading and writing a {@link
 * PagedKvPool}. Every weight matrix is multiplied once per step for all the step's tokens;
 * attention reads exactly each sequence's own positions through its block table.
 *
 * <p>Rows are laid out multi-token chunks first (each attends on its own, a causal chunk), then
 * every single-token chunk (decodes, ordered by context length and attended in groups of similar
 * length, contexts padded to the group's longest and the padding masked). Padding points at the
 * sequence's own first slot, never at another sequence's or an unowned block, so stray values
 * cannot leak in even through a zero weight.
 */
public final class PagedForward {

  private final LlamaModel model;
  private final LlamaConfig config;

  public PagedForward(LlamaModel model) {
    this.model = model;
    this.config = model.config();
  }

  /**
   * Runs one step.
   *
   * @return for each chunk, in the given order, its logits ({@code vocabSize} floats) if it asked
   *     for them, else null
   */
  public float[][] forward(List<SequenceChunk> chunks, PagedKvPool pool) {
    validate(chunks, pool);
    Layout layout = Layout.of(chunks, pool.blockSize());
    try (NDManager step = model.manager.newSubManager()) {
      NDArray x = model.embed(step, layout.tokens);
      NDArray positions = step.create(layout.positions);
      NDArray cos = model.rotary.cosAt(step, positions);
      NDArray sin = model.rotary.sinAt(step, positions);
      NDArray slots = step.create(layout.slots);
      int bs = pool.blockSize();
      List<ChunkInputs> multi = new ArrayList<>();
      for (SequenceChunk c : layout.multiToken) {
        long[] blocks = c.contextBlocks(bs);
        multi.add(
            new ChunkInputs(
                step.create(blocks),
                CausalMask.create(
                    step,
                    c.start(),
                    c.tokens().length,
                    config.queriesPerKvHead(),
                    blocks.length * bs),
                c.tokens().length,
                blocks.length * bs));
      }
      List<DecodeInputs> decodeGroups = new ArrayList<>();
      for (List<SequenceChunk> group : decodeGroups(layout.singleToken, bs)) {
        decodeGroups.add(DecodeInputs.of(step, group, bs));
      }
      NDArray newBlocks = null;
      NDArray zeros = null;
      if (layout.newBlocks.length > 0) {
        newBlocks = step.create(layout.newBlocks);
        zeros =
            step.zeros(
                new Shape(config.nKvHeads(), layout.newBlocks.length, bs, config.headSize()));
      }
      int nKv = config.nKvHeads();
      int hd = config.headSize();
      for (int l = 0; l < config.nLayers(); l++) {
        LlamaModel.Qkv qkv = model.attentionInputs(l, x, cos, sin);
        if (newBlocks != null) {
          pool.zeroBlocks(l, newBlocks, zeros);
        }
        pool.write(l, slots, qkv.k(), qkv.v());
        NDList outs = new NDList();
        int row = 0;
        for (ChunkInputs c : multi) {
          NDArray qc = qkv.q().get(new NDIndex("{}:{}", row, row + c.length));
          outs.add(
              Attention.chunk(
                  config,
                  qc,
                  pool.gatherKeys(l, c.blocks, step).reshape(nKv, c.width, hd),
                  pool.gatherValues(l, c.blocks, step).reshape(nKv, c.width, hd),
                  c.mask,
                  c.length));
          row += c.length;
        }
        for (DecodeInputs decode : decodeGroups) {
          NDArray qd = qkv.q().get(new NDIndex("{}:{}", row, row + decode.count));
          outs.add(
              Attention.decode(
                  config,
                  qd,
                  pool.gatherKeys(l, decode.blocks, step)
                      .reshape(nKv, decode.count, decode.width, hd),
                  pool.gatherValues(l, decode.blocks, step)
                      .reshape(nKv, decode.count, decode.width, hd),
                  decode.mask,
                  decode.count));
          row += decode.count;
        }
        NDArray att = outs.size() == 1 ? outs.get(0) : NDArrays.concat(outs, 0);
        x = model.feedForward(l, model.attentionOutput(l, x, att));
      }
      return logits(step, x, layout, chunks.size());
    }
  }

  /** Rejects a plan that would read or write outside the pool or the context window. */
  private void validate(List<SequenceChunk> chunks, PagedKvPool pool) {
    long slotCount = (long) pool.numBlocks() * pool.blockSize();
    for (SequenceChunk c : chunks) {
      if (c.contextLength() > config.maxSeqLen()) {
        throw new IllegalArgumentException(
            c
                + " reaches position "
                + (c.contextLength() - 1)
                + " beyond the context window of "
                + config.maxSeqLen());
      }
      for (int b : c.blockTable()) {
        if (b < 0 || b >= pool.numBlocks()) {
          throw new IllegalArgumentException(
              c + " names block " + b + " outside the pool of " + pool.numBlocks());
        }
      }
      for (int slot : c.slots()) {
        if (slot < 0 || slot >= slotCount) {
          throw new IllegalArgumentException(
              c + " writes slot " + slot + " outside the pool of " + slotCount + " slots");
        }
      }
    }
  }

  /**
   * Splits decodes (already ordered by context length) into groups whose longest context is at most
   * twice their shortest, so padding to a group's longest context wastes at most half of its
   * gather: one sequence at 4,000 tokens no longer makes thirty short ones read 4,000 each.
   */
  private static List<List<SequenceChunk>> decodeGroups(List<SequenceChunk> decodes, int bs) {
    List<List<SequenceChunk>> groups = new ArrayList<>();
    List<SequenceChunk> current = new ArrayList<>();
    int shortest = 0;
    for (SequenceChunk c : decodes) {
      int blocks = c.contextBlocks(bs).length;
      if (!current.isEmpty() && blocks > 2 * shortest) {
        groups.add(current);
        current = new ArrayList<>();
      }
      if (current.isEmpty()) {
        shortest = blocks;
      }
      current.add(c);
    }
    if (!current.isEmpty()) {
      groups.add(current);
    }
    return groups;
  }

  private float[][] logits(NDManager step, NDArray x, Layout layout, int numChunks) {
    float[][] out = new float[numChunks][];
    if (layout.logitRows.length == 0) {
      return out;
    }
    NDArray rows = x.get(new NDIndex("{}", step.create(layout.logitRows)));
    float[] flat = model.logits(rows).toFloatArray();
    int vocab = config.vocabSize();
    for (int i = 0; i < layout.logitChunks.length; i++) {
      float[] l = new float[vocab];
      System.arraycopy(flat, i * vocab, l, 0, vocab);
      out[layout.logitChunks[i]] = l;
    }
    return out;
  }

  /**
   * A multi-token chunk's blocks, its causal mask over their {@code width} slots (the context and
   * the unwritten rest of its last block), and its token count.
   */
  private record ChunkInputs(NDArray blocks, NDArray mask, int length, int width) {}

  /**
   * The decode group's blocks {@code [d, nb]} (a shorter table padded with the sequence's own first
   * block), the mask of every slot past a sequence's context ({@code [1, d, 1, width]}, null when
   * there is none), the number of sequences and {@code width = nb * blockSize}.
   */
  private record DecodeInputs(NDArray blocks, NDArray mask, int count, int width) {

    static DecodeInputs of(NDManager step, List<SequenceChunk> decodes, int blockSize) {
      if (decodes.isEmpty()) {
        return null;
      }
      int d = decodes.size();
      int widest = 0;
      for (SequenceChunk c : decodes) {
        widest = Math.max(widest, c.contextBlocks(blockSize).length);
      }
      int width = widest * blockSize;
      long[] blocks = new long[d * widest];
      float[] mask = new float[d * width];
      boolean masked = false;
      for (int i = 0; i < d; i++) {
        SequenceChunk c = decodes.get(i);
        long[] own = c.contextBlocks(blockSize);
        for (int b = 0; b < widest; b++) {
          blocks[i * widest + b] = b < own.length ? own[b] : own[0];
        }
        for (int p = c.contextLength(); p < width; p++) {
          mask[i * width + p] = Float.NEGATIVE_INFINITY;
          masked = true;
        }
      }
      return new DecodeInputs(
          step.create(blocks, new Shape(d, widest)),
          masked ? step.create(mask, new Shape(1, d, 1, width)) : null,
          d,
          width);
    }
  }

  /** Host-side arrays of the step: tokens in row order and where each chunk's logits come from. */
  private static final class Layout {
    final List<SequenceChunk> multiToken = new ArrayList<>();
    final List<SequenceChunk> singleToken = new ArrayList<>();
    int[] tokens;
    long[] positions;
    long[] slots;
    long[] logitRows;
    int[] logitChunks;

    /** Blocks whose first slot this step writes: zeroed before the write. */
    long[] newBlocks;

    static Layout of(List<SequenceChunk> chunks, int blockSize) {
      if (chunks.isEmpty()) {
        throw new IllegalArgumentException("a step needs at least one sequence");
      }
      Layout layout = new Layout();
      List<Integer> order = new ArrayList<>();
      List<Integer> singles = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) {
        if (chunks.get(i).tokens().length == 1) {
          singles.add(i);
        } else {
          order.add(i);
          layout.multiToken.add(chunks.get(i));
        }
      }
      // Decodes by context length, so that similar lengths share a padded attention group.
      singles.sort(java.util.Comparator.comparingInt(i -> chunks.get(i).contextLength()));
      for (int i : singles) {
        order.add(i);
        layout.singleToken.add(chunks.get(i));
      }
      int n = 0;
      int wanted = 0;
      for (SequenceChunk c : chunks) {
        n += c.tokens().length;
        wanted += c.wantLogits() ? 1 : 0;
      }
      layout.tokens = new int[n];
      layout.positions = new long[n];
      layout.slots = new long[n];
      layout.logitRows = new long[wanted];
      layout.logitChunks = new int[wanted];
      int row = 0;
      int w = 0;
      List<Long> fresh = new ArrayList<>();
      for (int i : order) {
        SequenceChunk c = chunks.get(i);
        for (int t = 0; t < c.tokens().length; t++) {
          layout.tokens[row] = c.tokens()[t];
          layout.positions[row] = c.start() + t;
          layout.slots[row] = c.slots()[t];
          if (c.slots()[t] % blockSize == 0) {
            fresh.add((long) (c.slots()[t] / blockSize));
          }
          row++;
        }
        if (c.wantLogits()) {
          layout.logitRows[w] = row - 1;
          layout.logitChunks[w] = i;
          w++;
        }
      }
      layout.newBlocks = fresh.stream().mapToLong(Long::longValue).toArray();
      return layout;
    }
  }
}
