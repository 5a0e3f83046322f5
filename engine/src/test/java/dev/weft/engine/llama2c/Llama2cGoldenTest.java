package dev.weft.engine.llama2c;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import dev.weft.engine.TestModels;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.generate.Generator;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.engine.tokenizer.Tokenizer;
import dev.weft.scheduler.SamplingParams;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Weft against llama2.c's own {@code run.c}: for each golden case (made at temperature 0 as {@code
 * src/test/resources/goldens/README.md} describes), the prompt encodes to run.c's token ids, greedy
 * generation yields run.c's token ids, and the decoded text is run.c's stdout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Llama2cGoldenTest {

  /** One golden case, as stored in the JSON file. */
  static final class Case {
    String prompt;
    int steps;
    int[] prompt_ids;
    int[] generated_ids;
    boolean stopped_on_bos;
    String stdout;

    @Override
    public String toString() {
      return "'" + prompt + "' steps=" + steps;
    }
  }

  static final class Goldens {
    List<Case> cases;
  }

  private NDManager manager;
  private LlamaModel model;
  private LoadedModel loaded;

  @BeforeAll
  void load() {
    loaded =
        LoadedModel.load(
            new ModelSearchPath(List.of(TestModels.sharedModels())).resolve("stories260K"));
    manager = NDManager.newBaseManager("PyTorch");
    model = new LlamaModel(manager, loaded.weights());
  }

  @AfterAll
  void close() {
    model.close();
    manager.close();
  }

  static Stream<Case> cases() throws IOException {
    try (Reader r =
        new InputStreamReader(
            Llama2cGoldenTest.class.getResourceAsStream("/goldens/stories260K-runc-greedy.json"),
            StandardCharsets.UTF_8)) {
      return new Gson().fromJson(r, Goldens.class).cases.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void promptEncodesToRunCsTokens(Case c) {
    assertThat(loaded.tokenizer().encode(c.prompt, true)).containsExactly(c.prompt_ids);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void greedyGenerationMatchesRunC(Case c) {
    // run.c's step count includes the prompt positions after BOS.
    int maxTokens = c.steps - c.prompt_ids.length + 1;
    Generator generator = new Generator(model, loaded.stopTokens());
    List<Integer> streamed = new ArrayList<>();
    Generator.Result result =
        generator.generate(
            c.prompt_ids, SamplingParams.greedy(maxTokens), (prev, tok) -> streamed.add(tok));

    assertThat(result.tokens()).containsExactly(c.generated_ids);
    assertThat(streamed).containsExactlyElementsOf(Arrays.stream(c.generated_ids).boxed().toList());
    assertThat(result.reason() == Generator.FinishReason.STOP).isEqualTo(c.stopped_on_bos);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void decodedTextIsRunCsStdout(Case c) {
    Tokenizer tok = loaded.tokenizer();
    int[] all =
        IntStream.concat(Arrays.stream(c.prompt_ids).skip(1), Arrays.stream(c.generated_ids))
            .toArray();
    // run.c prints a newline after the loop.
    assertThat(tok.decode(tok.bos(), all) + "\n").isEqualTo(c.stdout);
  }
}
