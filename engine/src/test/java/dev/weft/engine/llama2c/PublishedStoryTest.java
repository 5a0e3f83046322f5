package dev.weft.engine.llama2c;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.TestModels;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.generate.Generator;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.scheduler.SamplingParams;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The greedy story published with stories260K, read from the model's README. */
class PublishedStoryTest {

  /** The indented block after "Known output" in the model's README. */
  static String publishedStory() throws IOException {
    List<String> lines = Files.readAllLines(TestModels.stories260K().resolve("README.md"));
    int start = 0;
    while (!lines.get(start).startsWith("Known output")) {
      start++;
    }
    return lines.stream()
        .skip(start)
        .dropWhile(l -> !l.startsWith("    "))
        .takeWhile(l -> l.startsWith("    "))
        .map(l -> l.substring(4))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void greedyFromBosTellsThePublishedStory() throws IOException {
    String story = publishedStory();
    assertThat(story).startsWith("Once upon a time").contains("Lily's mom said");

    LoadedModel loaded =
        LoadedModel.load(
            new ModelSearchPath(List.of(TestModels.sharedModels())).resolve("stories260K"));
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        LlamaModel model = new LlamaModel(manager, loaded.weights())) {
      int[] bos = {loaded.tokenizer().bos()};
      Generator.Result result =
          new Generator(model, loaded.stopTokens())
              .generate(bos, SamplingParams.greedy(256), (p, t) -> {});
      String text = loaded.tokenizer().decode(bos[0], result.tokens());
      assertThat(text).startsWith(story);
    }
  }
}
