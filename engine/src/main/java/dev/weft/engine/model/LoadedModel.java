package dev.weft.engine.model;

import dev.weft.engine.hf.HfModels;
import dev.weft.engine.llama2c.Llama2cCheckpoint;
import dev.weft.engine.llama2c.Llama2cTokenizer;
import dev.weft.engine.tokenizer.Tokenizer;
import java.util.Set;

/**
 * A model's weights (host memory), tokenizer and the tokens that end generation.
 *
 * @param name the model's name
 * @param weights float32 weights
 * @param tokenizer its tokenizer
 * @param stopTokens tokens that end a generation (never emitted)
 */
public record LoadedModel(
    String name, LlamaWeights weights, Tokenizer tokenizer, Set<Integer> stopTokens) {

  public LoadedModel {
    stopTokens = Set.copyOf(stopTokens);
  }

  /** Reads a model's files. */
  public static LoadedModel load(ModelSource source) {
    switch (source.format()) {
      case LLAMA2C:
        LlamaWeights weights = Llama2cCheckpoint.read(source.checkpoint());
        Tokenizer tokenizer =
            Llama2cTokenizer.load(source.tokenizer(), weights.config().vocabSize());
        // llama2.c models were trained on stories separated by BOS: they end a story with BOS.
        return new LoadedModel(
            source.name(), weights, tokenizer, Set.of(tokenizer.bos(), tokenizer.eos()));
      case HUGGING_FACE:
        return HfModels.load(source);
      default:
        throw new InvalidModelException("unsupported model format " + source.format());
    }
  }

  public LlamaConfig config() {
    return weights.config();
  }
}
