package dev.weft.engine.hf;

import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Loads a Hugging Face Llama folder as a {@link LoadedModel}. */
public final class HfModels {

  private HfModels() {}

  /** The source of the Hugging Face model folder {@code dir}. */
  public static ModelSource source(String name, Path dir) {
    return new ModelSource(
        name, ModelSource.Format.HUGGING_FACE, dir, dir.resolve(HfCheckpoint.TOKENIZER));
  }

  /**
   * Reads config, tokenizer (first, as it is quick to check) and weights. Generation stops on every
   * id of generation_config.json's eos_token_id, else config.json's, else the tokenizer's EOS.
   */
  public static LoadedModel load(ModelSource source) {
    Path dir = source.checkpoint();
    Path configFile = dir.resolve(HfCheckpoint.CONFIG);
    HfConfig config = HfConfig.read(configFile);
    HfTokenizer tokenizer =
        HfTokenizer.load(
            source.tokenizer(), config.bosTokenId(), config.eosTokenIds().stream().findFirst());
    try {
      if (tokenizer.vocabSize() > config.llama().vocabSize()) {
        throw new InvalidModelException(
            source.tokenizer()
                + ": "
                + tokenizer.vocabSize()
                + " tokens, more than the vocab_size "
                + config.llama().vocabSize()
                + " of "
                + configFile);
      }
      LlamaWeights weights = HfCheckpoint.read(dir, config);
      return new LoadedModel(source.name(), weights, tokenizer, stopTokens(dir, config, tokenizer));
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  private static Set<Integer> stopTokens(Path dir, HfConfig config, HfTokenizer tokenizer) {
    Path generation = dir.resolve(HfCheckpoint.GENERATION_CONFIG);
    List<Integer> ids = List.of();
    if (Files.isRegularFile(generation)) {
      ids = JsonFiles.ids(generation, JsonFiles.read(generation), "eos_token_id");
    }
    if (ids.isEmpty()) {
      ids = config.eosTokenIds();
    }
    Set<Integer> stops = new LinkedHashSet<>(ids);
    if (stops.isEmpty()) {
      stops.add(tokenizer.eos());
    }
    return stops;
  }
}
