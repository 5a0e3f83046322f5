package dev.weft.trainer.lm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.llama2c.Llama2cCheckpoint;
import dev.weft.engine.llama2c.Llama2cTokenizer;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.trainer.model.LanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer's view of the engine's Llama: packed windows, loss, gradient, saved checkpoint. */
class LanguageModelTest {

  static Path stories;
  static LlamaWeights weights;
  static Llama2cTokenizer tokenizer;

  @TempDir Path tmp;

  @BeforeAll
  static void load() {
    Path root = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
    stories = root.resolveSibling("shared").resolve("models");
    var source = new ModelSearchPath(List.of(stories)).resolve("stories260K");
    LoadedModel model = LoadedModel.load(source);
    weights = model.weights();
    tokenizer = (Llama2cTokenizer) model.tokenizer();
    stories = source.tokenizer();
  }

  static final List<String> DOCS =
      List.of(
          "Once upon a time there was a little cat.",
          "The cat liked to play in the sun with a red ball.",
          "One day the ball rolled away and the cat ran after it.");

  @Test
  void windowsPackDocumentsStartingWithBosAndShardDisjointly() {
    TokenWindows w = TokenWindows.pack(DOCS, tokenizer, 8);
    int n = w.streamTokens();
    assertThat(w.count()).isEqualTo((n - 1) / 8);
    int[] in = new int[16];
    int[] tg = new int[16];
    w.copy(0, 0, in, tg);
    w.copy(1, 1, in, tg);
    assertThat(in[0]).isEqualTo(tokenizer.bos());
    // Targets are the inputs shifted by one, across window boundaries too.
    for (int i = 0; i < 15; i++) {
      assertThat(tg[i]).isEqualTo(in[i + 1]);
    }
    TokenWindows a = w.shard(0, 2);
    TokenWindows b = w.shard(1, 2);
    assertThat(a.count() + b.count()).isEqualTo(w.count());
    assertThat(w.first(2).count()).isEqualTo(2);
    assertThatThrownBy(() -> w.shard(2, 2)).hasMessageContaining("rank 2 of 2");
  }

  @Test
  void sgdOnTheGradientLowersTheLossAndTheSavedModelServesTheSameLoss() throws Exception {
    TokenWindows w = TokenWindows.pack(DOCS, tokenizer, 16);
    int b = w.count();
    Batch batch = Batch.of(w);
    int[] in = batch.inputs();
    int[] tg = batch.targets();
    try (LanguageModel model = new LanguageModel(weights)) {
      float[] p = model.parameters();
      float[] g = new float[model.size()];
      float first = model.lossAndGradient(p, in, tg, b, g);
      assertThat((double) first)
          .isCloseTo(model.meanLoss(p, w, 2), org.assertj.core.data.Offset.offset(1e-4));
      for (int step = 0; step < 5; step++) {
        model.lossAndGradient(p, in, tg, b, g);
        for (int i = 0; i < p.length; i++) {
          p[i] -= 0.05f * g[i];
        }
      }
      double after = model.meanLoss(p, w, b);
      assertThat(after).isLessThan(first - 0.05);
      Path saved = LmCheckpoint.save(model.weights(p), stories, tmp.resolve("out"));
      assertThat(tmp.resolve("out/tokenizer.bin")).hasSameBinaryContentAs(stories);
      try (LanguageModel reloaded = new LanguageModel(Llama2cCheckpoint.read(saved))) {
        assertThat(reloaded.meanLoss(reloaded.parameters(), w, b))
            .isCloseTo(after, org.assertj.core.data.Offset.offset(1e-4));
      }
      assertThat(Files.list(tmp.resolve("out"))).hasSize(2);
    }
  }

  @Test
  void repeatedGradientsAreIdenticalAndLeaveNoArraysBehind() {
    Batch batch = Batch.of(TokenWindows.pack(DOCS, tokenizer, 16));
    try (LanguageModel model = new LanguageModel(weights)) {
      float[] p = model.parameters();
      float[] first = batch.gradient(model, p);
      int arrays = engineArrays();
      float[] g = first;
      for (int i = 0; i < 10; i++) {
        g = batch.gradient(model, p);
      }
      // Zeroed between calls (no accumulation), and no gradient handles pile up in the engine
      // (DJL's zeroGradients() left two per parameter and call).
      assertThat(g).isEqualTo(first);
      assertThat(engineArrays()).isEqualTo(arrays);
    }
  }

  /** Every window of {@code w}, inputs and targets laid out one window after another. */
  private record Batch(int[] inputs, int[] targets, int windows) {
    float[] gradient(LanguageModel model, float[] parameters) {
      float[] g = new float[model.size()];
      model.lossAndGradient(parameters, inputs, targets, windows, g);
      return g;
    }

    static Batch of(TokenWindows w) {
      int[] in = new int[w.count() * w.length()];
      int[] tg = new int[in.length];
      for (int k = 0; k < w.count(); k++) {
        w.copy(k, k, in, tg);
      }
      return new Batch(in, tg, w.count());
    }
  }

  /** Arrays alive in the whole engine (the system manager is the parent of every base manager). */
  private static int engineArrays() {
    try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
      return m.getParentManager().getManagedArrays().size();
    }
  }
}
