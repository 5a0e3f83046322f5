package dev.weft.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.TestModels;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The batched paged forward pass against the one-sequence reference: random mixes of prompt chunks
 * and decodes, shuffled non-contiguous block tables, and every block no sequence owns poisoned with
 * NaN before each step.
 */
class PagedForwardTest {

  static final int BLOCK_SIZE = 4;
  static final int NUM_BLOCKS = 96;

  static NDManager manager;
  static LlamaModel model;

  @BeforeContainer
  static void load() {
    LoadedModel loaded =
        LoadedModel.load(
            new ModelSearchPath(List.of(TestModels.sharedModels())).resolve("stories260K"));
    manager = NDManager.newBaseManager("PyTorch");
    model = new LlamaModel(manager, loaded.weights());
  }

  @AfterContainer
  static void close() {
    model.close();
    manager.close();
  }

  /** One sequence of the simulated workload: its tokens and the blocks it owns. */
  static final class Seq {
    final int[] tokens;
    final int promptLength;
    final List<Integer> blocks = new ArrayList<>();
    int computed;

    Seq(int[] tokens, int promptLength) {
      this.tokens = tokens;
      this.promptLength = promptLength;
    }
  }

  @Property(tries = 12, seed = "4242")
  void batchedPagedForwardEqualsOneSequenceAtATime(@ForAll @LongRange(max = 1_000_000) long seed) {
    Random random = new Random(seed);
    List<Integer> free = new ArrayList<>();
    for (int b = 0; b < NUM_BLOCKS; b++) {
      free.add(b);
    }
    Collections.shuffle(free, random);
    List<Seq> seqs = new ArrayList<>();
    int numSeqs = 1 + random.nextInt(6);
    for (int i = 0; i < numSeqs; i++) {
      int prompt = 1 + random.nextInt(30);
      int total = prompt + random.nextInt(8);
      int[] tokens = random.ints(total, 3, 512).toArray();
      tokens[0] = 1;
      seqs.add(new Seq(tokens, prompt));
    }
    PagedForward paged = new PagedForward(model);
    try (PagedKvPool pool = new PagedKvPool(manager, model.config(), NUM_BLOCKS, BLOCK_SIZE, 0)) {
      pool.fill(Float.NaN);
      while (seqs.stream().anyMatch(s -> s.computed < s.tokens.length)) {
        List<Seq> stepSeqs = new ArrayList<>();
        List<SequenceChunk> chunks = new ArrayList<>();
        for (Seq s : seqs) {
          int remaining = s.tokens.length - s.computed;
          if (remaining == 0 || random.nextInt(4) == 0) {
            continue; // finished, or not scheduled this step
          }
          int n =
              s.computed < s.promptLength
                  ? 1 + random.nextInt(s.promptLength - s.computed)
                  : 1; // decode
          while (s.blocks.size() * BLOCK_SIZE < s.computed + n) {
            s.blocks.add(free.remove(free.size() - 1));
          }
          int[] slots = new int[n];
          for (int t = 0; t < n; t++) {
            int p = s.computed + t;
            slots[t] = s.blocks.get(p / BLOCK_SIZE) * BLOCK_SIZE + p % BLOCK_SIZE;
          }
          int[] table = s.blocks.stream().mapToInt(Integer::intValue).toArray();
          int[] chunk = Arrays.copyOfRange(s.tokens, s.computed, s.computed + n);
          chunks.add(new SequenceChunk(chunk, s.computed, table, slots, random.nextInt(3) > 0));
          stepSeqs.add(s);
        }
        if (chunks.isEmpty()) {
          continue;
        }
        float[][] logits = paged.forward(chunks, pool);
        for (int i = 0; i < chunks.size(); i++) {
          Seq s = stepSeqs.get(i);
          SequenceChunk c = chunks.get(i);
          s.computed += c.tokens().length;
          if (c.wantLogits()) {
            float[] expected = reference(Arrays.copyOf(s.tokens, s.computed));
            assertThat(maxAbsDiff(logits[i], expected)).as("seq %d, %s", i, c).isLessThan(1e-4f);
          } else {
            assertThat(logits[i]).isNull();
          }
          if (s.computed == s.tokens.length) {
            // Finished: its blocks go back to the pool, poisoned for whoever gets them next.
            for (int b : s.blocks) {
              pool.fillBlock(b, Float.NaN);
              free.add(b);
            }
            s.blocks.clear();
          }
        }
      }
    }
  }

  @Property(tries = 5, seed = "77")
  void newKeysAndValuesLandExactlyInTheGivenSlots(@ForAll @LongRange(max = 1000) long seed) {
    Random random = new Random(seed);
    int[] tokens = random.ints(10, 3, 512).toArray();
    int[] table = {7, 2, 11};
    int[] slots = new int[tokens.length];
    for (int p = 0; p < tokens.length; p++) {
      slots[p] = table[p / BLOCK_SIZE] * BLOCK_SIZE + p % BLOCK_SIZE;
    }
    try (PagedKvPool pool = new PagedKvPool(manager, model.config(), 16, BLOCK_SIZE, 0);
        NDManager scope = manager.newSubManager();
        ContiguousKvCache cache = model.newCache(16)) {
      pool.fill(Float.NaN);
      new PagedForward(model)
          .forward(List.of(new SequenceChunk(tokens, 0, table, slots, false)), pool);
      model.forward(tokens, 0, cache);
      for (int l = 0; l < model.config().nLayers(); l++) {
        // The cache is head-major; compare position by position.
        float[] keys = cache.keys(l, tokens.length, scope).transpose(1, 0, 2).toFloatArray();
        float[] values = cache.values(l, tokens.length, scope).transpose(1, 0, 2).toFloatArray();
        int width = model.config().kvDim();
        for (int p = 0; p < tokens.length; p++) {
          float[] k = Arrays.copyOfRange(keys, p * width, (p + 1) * width);
          float[] v = Arrays.copyOfRange(values, p * width, (p + 1) * width);
          assertThat(maxAbsDiff(pool.keysAt(l, slots[p]), k)).isLessThan(1e-5f);
          assertThat(maxAbsDiff(pool.valuesAt(l, slots[p]), v)).isLessThan(1e-5f);
        }
      }
      // A block the chunk started is zeroed past its last token; blocks it did not name stay
      // as they were.
      assertThat(pool.keysAt(0, 11 * BLOCK_SIZE + 3)).containsOnly(0f);
      assertThat(pool.keysAt(0, 0)[0]).isNaN();
      assertThat(pool.keysAt(0, 5 * BLOCK_SIZE)[0]).isNaN();
    }
  }

  @Property(tries = 3, seed = "5")
  void eachWeightIsMultipliedOncePerStepWhateverTheBatch(@ForAll @LongRange(max = 1000) long s) {
    int layers = model.config().nLayers();
    for (int batch : new int[] {1, 4, 16}) {
      try (PagedKvPool pool = new PagedKvPool(manager, model.config(), 64, BLOCK_SIZE, 0)) {
        List<SequenceChunk> chunks = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          int n = i % 2 == 0 ? 1 : 5; // a mix of decodes and prompt chunks
          int[] slots = new int[n];
          for (int t = 0; t < n; t++) {
            slots[t] = (4 * i + t / BLOCK_SIZE) * BLOCK_SIZE + t % BLOCK_SIZE;
          }
          int[] table = {4 * i, 4 * i + 1};
          chunks.add(new SequenceChunk(new int[n], 0, table, slots, true));
        }
        long before = model.weightMatmuls();
        new PagedForward(model).forward(chunks, pool);
        // Per layer: q|k|v (fused), o, gate|up (fused), down; then the classifier for all rows.
        assertThat(model.weightMatmuls() - before).as("batch %d", batch).isEqualTo(4L * layers + 1);
      }
    }
  }

  @net.jqwik.api.Example
  void aBlockOutsideThePoolIsRejected() {
    try (PagedKvPool pool = new PagedKvPool(manager, model.config(), 4, BLOCK_SIZE, 0)) {
      SequenceChunk bad = new SequenceChunk(new int[] {1}, 0, new int[] {9}, new int[] {36}, true);
      assertThatThrownBy(() -> new PagedForward(model).forward(List.of(bad), pool))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("block 9 outside the pool of 4");
    }
  }

  private static float[] reference(int[] tokens) {
    try (ContiguousKvCache cache = model.newCache(tokens.length)) {
      return model.forward(tokens, 0, cache);
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      float d = Math.abs(a[i] - b[i]);
      if (Float.isNaN(d)) {
        return Float.POSITIVE_INFINITY;
      }
      max = Math.max(max, d);
    }
    return max;
  }
}
