package dev.weft.server;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.forward.KvCache;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.generate.Generator;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.scheduler.SamplingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stories260K test model from {@code ../shared/models}, and the one-sequence {@link Generator}
 * that serving is compared against.
 */
final class Stories implements AutoCloseable {

  static final String[] PROMPTS = {
    "Once upon a time",
    "The little dog",
    "Tom and Lily went to the park",
    "She was very happy because",
    "One day, a big bear",
    "Mia looked at the sky and said",
    "Once upon a time, there was",
    "The sun was shining and",
    "Ben had a red ball",
    "In a small house lived",
    "The cat saw a bird",
    "Lucy wanted to play"
  };

  final LoadedModel loaded;
  private final NDManager manager;
  private final LlamaModel model;
  private final Generator generator;

  Stories() {
    loaded = LoadedModel.load(new ModelSearchPath(List.of(sharedModels())).resolve("stories260K"));
    manager = NDManager.newBaseManager("PyTorch");
    model = new LlamaModel(manager, loaded.weights());
    generator = new Generator(model, loaded.stopTokens());
  }

  static Path sharedModels() {
    Path root = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
    for (Path dir = root; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolveSibling("shared").resolve("models");
      if (Files.isDirectory(candidate.resolve("stories260K"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("stories260K not found beside " + root);
  }

  int[] encode(String text) {
    return loaded.tokenizer().encode(text, true);
  }

  /**
   * Greedy tokens of {@code prompt} generated alone. Greedy output up to n tokens is the first n of
   * a longer run, so one run per prompt serves every max tokens up to 64.
   */
  synchronized int[] greedyAlone(int[] prompt, int maxTokens) {
    int run = Math.max(maxTokens, 64);
    int[] tokens =
        greedyRuns.computeIfAbsent(
            Arrays.toString(prompt) + "/" + run,
            k -> generator.generate(prompt, SamplingParams.greedy(run), (p, t) -> {}).tokens());
    return Arrays.copyOf(tokens, Math.min(tokens.length, maxTokens));
  }

  private final Map<String, int[]> greedyRuns = new HashMap<>();

  /** Difference between the two largest logits after {@code prefix}: how near a tie it was. */
  synchronized double topTwoGap(int[] prefix) {
    try (KvCache cache = model.newCache(prefix.length)) {
      float[] logits = model.forward(prefix, 0, cache);
      float first = Float.NEGATIVE_INFINITY;
      float second = Float.NEGATIVE_INFINITY;
      for (float v : logits) {
        if (v > first) {
          second = first;
          first = v;
        } else if (v > second) {
          second = v;
        }
      }
      return first - second;
    }
  }

  @Override
  public void close() {
    model.close();
    manager.close();
  }
}
