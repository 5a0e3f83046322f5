package dev.weft.trainer.lm;

import dev.weft.engine.llama2c.Llama2cCheckpoint;
import dev.weft.engine.llama2c.Llama2cTokenizer;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.RandomWeights;
import java.nio.file.Path;

/**
 * How a language-model run trains (plain fields, so that the launcher can hand them to a worker JVM
 * as JSON).
 *
 * @param checkpoint the llama2.c checkpoint to start from (its shape, when training from scratch)
 * @param tokenizer its llama2.c tokenizer, which the corpus is encoded with
 * @param fromScratch start from seeded random weights of the checkpoint's shape instead
 * @param seqLen tokens per training window
 * @param heldOutFraction share of the corpus's documents held out for evaluation
 * @param corpusDocuments use only the first this many documents (0: all)
 * @param evalEvery evaluate the held-out loss every this many iterations (0: only first and last)
 * @param evalWindows at most this many held-out windows per evaluation
 * @param gradClip each worker clips its gradient to this L2 norm before synchronizing (0: never)
 */
public record LmOptions(
    String checkpoint,
    String tokenizer,
    boolean fromScratch,
    int seqLen,
    double heldOutFraction,
    int corpusDocuments,
    int evalEvery,
    int evalWindows,
    double gradClip) {

  public LmOptions {
    if (checkpoint == null || checkpoint.isBlank() || tokenizer == null || tokenizer.isBlank()) {
      throw new IllegalArgumentException("a language model needs a checkpoint and a tokenizer");
    }
    if (seqLen < 2) {
      throw new IllegalArgumentException("--seq-len must be at least 2, got " + seqLen);
    }
    if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException(
          "--held-out " + heldOutFraction + " must be a fraction in (0, 1)");
    }
    if (corpusDocuments < 0 || evalEvery < 0) {
      throw new IllegalArgumentException("--corpus-documents and --eval-every must be >= 0");
    }
    if (evalWindows < 1) {
      throw new IllegalArgumentException("--eval-windows must be at least 1, got " + evalWindows);
    }
    if (!(gradClip >= 0)) {
      throw new IllegalArgumentException("--grad-clip must be >= 0, got " + gradClip);
    }
  }

  /** The starting weights: the checkpoint's, or seeded random ones of its shape. */
  public LlamaWeights initialWeights(long seed) {
    LlamaWeights w = Llama2cCheckpoint.read(Path.of(checkpoint));
    if (w.config().maxSeqLen() < seqLen) {
      throw new IllegalArgumentException(
          "--seq-len "
              + seqLen
              + " exceeds the model's context window of "
              + w.config().maxSeqLen()
              + " tokens");
    }
    return fromScratch ? RandomWeights.generate(w.config(), seed) : w;
  }

  /** The tokenizer the corpus is encoded with. */
  public Llama2cTokenizer loadTokenizer(int vocabSize) {
    return Llama2cTokenizer.load(Path.of(tokenizer), vocabSize);
  }
}
