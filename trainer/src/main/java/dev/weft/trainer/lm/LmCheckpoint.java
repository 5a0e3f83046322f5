package dev.weft.trainer.lm;

import dev.weft.engine.llama2c.Llama2cCheckpointWriter;
import dev.weft.engine.model.LlamaWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a language-model run leaves its model: {@code model.bin} (llama2.c format) with the
 * tokenizer beside it as {@code tokenizer.bin}, so that the run's output folder is itself a model
 * that {@code weft serve --model DIR} finds.
 */
public final class LmCheckpoint {

  public static final String MODEL_FILE = "model.bin";
  public static final String TOKENIZER_FILE = "tokenizer.bin";

  private LmCheckpoint() {}

  /** Writes the weights and copies the tokenizer; a partial file never replaces a whole one. */
  public static Path save(LlamaWeights weights, Path tokenizer, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve(MODEL_FILE + ".tmp");
    Llama2cCheckpointWriter.write(weights, tmp);
    Files.copy(tokenizer, dir.resolve(TOKENIZER_FILE), StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, dir.resolve(MODEL_FILE), StandardCopyOption.REPLACE_EXISTING);
    return dir.resolve(MODEL_FILE);
  }
}
