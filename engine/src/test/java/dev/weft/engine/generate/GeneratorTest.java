package dev.weft.engine.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.TestModels;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.scheduler.SamplingParams;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorTest {

  private NDManager manager;
  private LlamaModel model;
  private LoadedModel loaded;
  private Generator generator;

  @BeforeAll
  void load() {
    loaded =
        LoadedModel.load(
            new ModelSearchPath(List.of(TestModels.sharedModels())).resolve("stories260K"));
    manager = NDManager.newBaseManager("PyTorch");
    model = new LlamaModel(manager, loaded.weights());
    generator = new Generator(model, loaded.stopTokens());
  }

  @AfterAll
  void close() {
    model.close();
    manager.close();
  }

  @Test
  void promptFillingTheContextWindowIsRejected() {
    int[] prompt = new int[512];
    Arrays.fill(prompt, 300);
    assertThatThrownBy(() -> generator.generate(prompt, SamplingParams.greedy(5), (p, t) -> {}))
        .isInstanceOf(PromptTooLongException.class)
        .hasMessageContaining("prompt is 512 tokens")
        .hasMessageContaining("context window is 512 tokens");
  }

  @Test
  void chunkedPromptGivesTheSameLogitsAsOneTokenAtATime() {
    int[] prompt = loaded.tokenizer().encode("Tom and Lily went to the park", true);
    float[] whole;
    try (var cache = model.newCache(64)) {
      whole = model.forward(prompt, 0, cache);
    }
    float[] stepwise = null;
    try (var cache = model.newCache(64)) {
      for (int i = 0; i < prompt.length; i++) {
        stepwise = model.forward(new int[] {prompt[i]}, i, cache);
      }
    }
    assertThat(stepwise).containsExactly(whole, org.assertj.core.data.Offset.offset(1e-4f));
  }

  @Test
  void seededSamplingIsReproducible() {
    SamplingParams p = new SamplingParams(0.9, 40, 0.95, 0, 1.1, 0.1, 1234, 60, Set.of());
    int[] bos = {1};
    int[] first = generator.generate(bos, p, (a, b) -> {}).tokens();
    int[] second = generator.generate(bos, p, (a, b) -> {}).tokens();
    assertThat(first).isEqualTo(second).isNotEmpty();
  }

  @Test
  void stopsAtTheTokenLimitAndAtUserStopTokens() {
    Generator.Result limited =
        generator.generate(new int[] {1}, SamplingParams.greedy(7), (a, b) -> {});
    assertThat(limited.tokens()).hasSize(7);
    assertThat(limited.reason()).isEqualTo(Generator.FinishReason.LENGTH);

    int third = limited.tokens()[2];
    Generator.Result stopped =
        generator.generate(
            new int[] {1}, SamplingParams.greedy(50).withStopTokens(Set.of(third)), (a, b) -> {});
    assertThat(stopped.reason()).isEqualTo(Generator.FinishReason.STOP);
    assertThat(stopped.tokens()).containsExactly(Arrays.copyOf(limited.tokens(), 2));
  }
}
