package dev.weft.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.TestModels;
import dev.weft.engine.llama2c.Llama2cCheckpoint;
import dev.weft.engine.llama2c.Llama2cCheckpointWriter;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training forward (whole windows, no cache) against the serving forward (one sequence through
 * its KV cache) on the same stories260K weights, and the checkpoint it writes back.
 */
class TrainableLlamaTest {

  static NDManager manager;
  static LlamaWeights weights;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    weights =
        LoadedModel.load(
                new ModelSearchPath(List.of(TestModels.sharedModels())).resolve("stories260K"))
            .weights();
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  static int[] randomTokens(int n, long seed) {
    Random random = new Random(seed);
    int[] tokens = random.ints(n, 3, 512).toArray();
    tokens[0] = 1;
    return tokens;
  }

  /** Logits after each prefix of {@code window}, from the cached one-sequence forward. */
  static float[][] servingLogits(LlamaModel model, int[] window) {
    float[][] out = new float[window.length][];
    try (ContiguousKvCache cache = model.newCache(window.length)) {
      for (int p = 0; p < window.length; p++) {
        out[p] = model.forward(new int[] {window[p]}, p, cache);
      }
    }
    return out;
  }

  static void assertRowsEqual(float[] all, int row, float[] expected, double tolerance) {
    int v = expected.length;
    for (int j = 0; j < v; j++) {
      assertThat((double) all[row * v + j])
          .as("row %d logit %d", row, j)
          .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(tolerance));
    }
  }

  @Test
  void windowLogitsEqualTheServingForwardAtEveryPosition() {
    int windows = 3;
    int length = 12;
    int[] tokens = randomTokens(windows * length, 7);
    try (LlamaModel serving = new LlamaModel(manager, weights);
        TrainableLlama training = new TrainableLlama(manager, weights);
        NDManager step = manager.newSubManager()) {
      float[] all = training.logits(step, tokens, windows, length).toFloatArray();
      assertThat(all).hasSize(windows * length * 512);
      for (int w = 0; w < windows; w++) {
        int[] window = java.util.Arrays.copyOfRange(tokens, w * length, (w + 1) * length);
        float[][] expected = servingLogits(serving, window);
        for (int p = 0; p < length; p++) {
          assertRowsEqual(all, w * length + p, expected[p], 1e-4);
        }
      }
    }
  }

  @Test
  void exportedCheckpointComputesTheSameFunction() throws Exception {
    int[] window = randomTokens(10, 11);
    Path file = tmp.resolve("model.bin");
    try (TrainableLlama training = new TrainableLlama(manager, weights)) {
      // Perturb the trainable tensors so the export cannot pass by returning the input.
      training.parameters().get(1).muli(1.01f);
      training.parameters().get(training.parameters().size() - 1).muli(0.99f);
      float[] trained;
      try (NDManager step = manager.newSubManager()) {
        trained = training.logits(step, window, 1, window.length).toFloatArray();
      }
      LlamaWeights exported = training.toWeights();
      assertThat(exported.config().sharedClassifier()).isFalse();
      Llama2cCheckpointWriter.write(exported, file);
      LlamaWeights reread = Llama2cCheckpoint.read(file);
      try (LlamaModel serving = new LlamaModel(manager, reread)) {
        float[][] expected = servingLogits(serving, window);
        for (int p = 0; p < window.length; p++) {
          assertRowsEqual(trained, p, expected[p], 1e-4);
        }
      }
    }
  }

  @Test
  void parametersAreNamedInFlatOrder() {
    try (TrainableLlama training = new TrainableLlama(manager, weights)) {
      assertThat(training.names()).hasSize(2 + 4 * 5);
      assertThat(training.names().get(0)).isEqualTo("token_embedding");
      assertThat(training.names().get(1)).isEqualTo("layers.0.wqkv");
      assertThat(training.parameters().get(1).getShape().getShape()).containsExactly(64, 128);
      assertThat(training.names().get(21)).isEqualTo("classifier");
      long total = training.parameters().stream().mapToLong(a -> a.getShape().size()).sum();
      // The checkpoint's count minus the norm weights (folded) plus an unshared classifier.
      assertThat(total).isEqualTo(weights.config().parameterCount() - 11L * 64 + 512L * 64);
    }
  }

  @Test
  void badWindowsAreRejected() {
    try (TrainableLlama training = new TrainableLlama(manager, weights);
        NDManager step = manager.newSubManager()) {
      assertThatThrownBy(() -> training.logits(step, new int[5], 2, 3))
          .hasMessageContaining("5 tokens are not 2 windows of 3");
      assertThatThrownBy(() -> training.logits(step, new int[] {1, 600}, 1, 2))
          .hasMessageContaining("token id 600 outside the vocabulary");
    }
  }
}
