package dev.weft.engine.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import dev.weft.engine.TestModels;
import dev.weft.engine.forward.KvCache;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.generate.Generator;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.engine.model.ModelSource;
import dev.weft.scheduler.SamplingParams;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * stories260K converted to Hugging Face form is the same model: the same logits as the llama2.c
 * form at every position, its tokenizer.json encodes run.c's golden prompts to run.c's ids, and
 * greedy generation from it reproduces run.c's golden output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Llama2cToHfTest {

  static final class Case {
    String prompt;
    int steps;
    int[] prompt_ids;
    int[] generated_ids;
    boolean stopped_on_bos;
    String stdout;

    @Override
    public String toString() {
      return "'" + prompt + "'";
    }
  }

  static final class Goldens {
    List<Case> cases;
  }

  private Path converted;
  private LoadedModel original;
  private LoadedModel hf;
  private NDManager manager;

  @BeforeAll
  void convert(@TempDir Path tmp) throws IOException {
    ModelSource source =
        new ModelSearchPath(List.of(TestModels.sharedModels())).resolve("stories260K");
    converted = tmp.resolve("stories260K-hf");
    Llama2cToHf.convert(source, converted, Dtype.F32);
    original = LoadedModel.load(source);
    hf = LoadedModel.load(new ModelSearchPath(List.of()).resolve(converted.toString()));
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  void close() {
    if (hf != null) {
      ((HfTokenizer) hf.tokenizer()).close();
    }
    if (manager != null) {
      manager.close();
    }
  }

  static Stream<Case> cases() throws IOException {
    try (Reader r =
        new InputStreamReader(
            Llama2cToHfTest.class.getResourceAsStream("/goldens/stories260K-runc-greedy.json"),
            StandardCharsets.UTF_8)) {
      return new Gson().fromJson(r, Goldens.class).cases.stream();
    }
  }

  @Test
  void writesAHuggingFaceFolderThatIsFoundAsOne() throws IOException {
    assertThat(converted.resolve("config.json")).isRegularFile();
    assertThat(converted.resolve("model.safetensors")).isRegularFile();
    assertThat(converted.resolve("tokenizer.json")).isRegularFile();
    assertThat(converted.resolve("generation_config.json")).isRegularFile();
    assertThat(hf.config().ropeStyle()).isEqualTo(LlamaConfig.RopeStyle.HALVES);
    assertThat(hf.config().dim()).isEqualTo(original.config().dim());
    assertThat(hf.config().nKvHeads()).isEqualTo(4);
    assertThat(hf.config().sharedClassifier()).isTrue();
    // Recorded in generation_config.json: llama2.c models end a story with BOS.
    assertThat(hf.stopTokens()).containsExactlyInAnyOrder(1, 2);
    try (Stream<Path> files = Files.list(converted)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }

  @Test
  void convertedModelGivesTheLlama2cLogitsAtEveryPosition() {
    int[] tokens =
        original.tokenizer().encode("Once upon a time, a little dog saw a big red ball.", true);
    float maxDiff = 0;
    try (LlamaModel a = new LlamaModel(manager, original.weights());
        LlamaModel b = new LlamaModel(manager, hf.weights());
        KvCache ca = a.newCache(64);
        KvCache cb = b.newCache(64)) {
      // A prefill chunk, then one token at a time: both paths of the forward pass.
      float[] la = a.forward(Arrays.copyOf(tokens, 5), 0, ca);
      float[] lb = b.forward(Arrays.copyOf(tokens, 5), 0, cb);
      maxDiff = Math.max(maxDiff, maxAbsDiff(la, lb));
      for (int pos = 5; pos < tokens.length; pos++) {
        la = a.forward(new int[] {tokens[pos]}, pos, ca);
        lb = b.forward(new int[] {tokens[pos]}, pos, cb);
        maxDiff = Math.max(maxDiff, maxAbsDiff(la, lb));
      }
      assertThat(la).hasSize(512);
    }
    System.out.println("stories260K llama2.c vs converted HF: max abs logit diff " + maxDiff);
    assertThat(maxDiff).isLessThanOrEqualTo(1e-4f);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void convertedTokenizerEncodesGoldenPromptsToRunCsIds(Case c) {
    assertThat(hf.tokenizer().encode(c.prompt, true)).containsExactly(c.prompt_ids);
    assertThat(hf.tokenizer().encode(c.prompt, false))
        .containsExactly(Arrays.copyOfRange(c.prompt_ids, 1, c.prompt_ids.length));
  }

  /**
   * Two golden cases, to keep the test fast (Llama2cGoldenTest runs all of them on the llama2.c
   * form, and the logits test shows the two forms agree position by position): one that ends on
   * BOS, the stop token generation_config.json records, and one with a non-ASCII prompt.
   */
  static Stream<Case> generationCases() throws IOException {
    return cases()
        .filter(
            c ->
                c.prompt.equals("The little dog") && c.steps == 512
                    || c.prompt.startsWith("The caf"));
  }

  @ParameterizedTest
  @MethodSource("generationCases")
  void greedyGenerationFromTheConvertedModelMatchesRunC(Case c) {
    int maxTokens = c.steps - c.prompt_ids.length + 1;
    try (LlamaModel model = new LlamaModel(manager, hf.weights())) {
      Generator.Result result =
          new Generator(model, hf.stopTokens())
              .generate(c.prompt_ids, SamplingParams.greedy(maxTokens), (prev, tok) -> {});
      assertThat(result.tokens()).containsExactly(c.generated_ids);
      assertThat(result.reason() == Generator.FinishReason.STOP).isEqualTo(c.stopped_on_bos);
    }
    int[] all =
        IntStream.concat(Arrays.stream(c.prompt_ids).skip(1), Arrays.stream(c.generated_ids))
            .toArray();
    assertThat(hf.tokenizer().decode(hf.tokenizer().bos(), all) + "\n").isEqualTo(c.stdout);
  }

  @Test
  void tokenizerAgreesWithLlama2cBeyondTheGoldens() {
    // Bytes outside the vocabulary (byte fallback), repeated spaces, newlines, tabs, emoji, and a
    // prompt of over 1000 tokens (nothing is truncated).
    for (String text :
        List.of(
            "Hello  world!\n\tThe end.",
            "naïve café — 東京 🙂",
            " leading and trailing ",
            "Lily's \"big\" dog; 3.14 < 4 > 2 & co?",
            "the big red ball ".repeat(300))) {
      int[] expected = original.tokenizer().encode(text, true);
      assertThat(hf.tokenizer().encode(text, true)).as(text).containsExactly(expected);
      int[] body = Arrays.copyOfRange(expected, 1, expected.length);
      assertThat(hf.tokenizer().decode(1, body)).isEqualTo(original.tokenizer().decode(1, body));
    }
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
