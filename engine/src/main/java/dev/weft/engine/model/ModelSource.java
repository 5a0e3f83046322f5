package dev.weft.engine.model;

import java.nio.file.Path;

/**
 * The files of one model as found on the search path.
 *
 * @param name the model's name (its folder or file name)
 * @param format the checkpoint format
 * @param checkpoint the weights file (llama2.c), or the model folder (Hugging Face)
 * @param tokenizer the tokenizer file
 */
public record ModelSource(String name, Format format, Path checkpoint, Path tokenizer) {

  /** Checkpoint formats Weft reads. */
  public enum Format {
    /** llama2.c's legacy .bin with a llama2.c tokenizer .bin. */
    LLAMA2C,
    /** A Hugging Face folder: config.json, model.safetensors (or shards), tokenizer.json. */
    HUGGING_FACE
  }
}
