package dev.weft.trainer.lm;

import dev.weft.data.text.TextCorpus;
import dev.weft.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A corpus as a language-model run sees it: split by documents into training and held-out text
 * (seeded, so every worker and the launcher agree), each encoded and packed into windows.
 *
 * @param train every training window (workers take their shard)
 * @param heldOut the held-out windows evaluated, at most {@link LmOptions#evalWindows()}
 * @param documents documents used, both parts
 */
public record LmData(TokenWindows train, TokenWindows heldOut, int documents) {

  /** Loads, splits and packs {@code corpus}; a corpus too small for one window is an error. */
  public static LmData prepare(Path corpus, Tokenizer tokenizer, LmOptions options, long seed)
      throws IOException {
    TextCorpus text = TextCorpus.load(corpus);
    if (options.corpusDocuments() > 0) {
      text = text.firstDocuments(options.corpusDocuments());
    }
    TextCorpus.Split split = text.split(options.heldOutFraction(), seed);
    TokenWindows train = TokenWindows.pack(split.train(), tokenizer, options.seqLen());
    TokenWindows heldOut =
        TokenWindows.pack(split.heldOut(), tokenizer, options.seqLen())
            .first(options.evalWindows());
    if (train.count() == 0 || heldOut.count() == 0) {
      throw new IllegalArgumentException(
          corpus
              + ": too little text for one window of "
              + options.seqLen()
              + " tokens in both parts ("
              + train.streamTokens()
              + " training and "
              + heldOut.streamTokens()
              + " held-out tokens); use more documents, a larger --held-out or a smaller"
              + " --seq-len");
    }
    return new LmData(train, heldOut, text.documents().size());
  }

  /**
   * Iterations per epoch, the same for every worker (the smallest shard's, as synchronous
   * algorithms need); an error when a shard is smaller than a batch.
   */
  public long iterationsPerEpoch(int workers, int batch) {
    long perEpoch = (train.count() / workers) / batch;
    if (perEpoch == 0) {
      throw new IllegalArgumentException(
          "batch "
              + batch
              + " is larger than a worker's shard of "
              + train.count() / workers
              + " windows; use a smaller --batch or --seq-len, or more text");
    }
    return perEpoch;
  }
}
