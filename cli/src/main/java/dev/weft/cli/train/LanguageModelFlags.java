package dev.weft.cli.train;

import dev.weft.cli.ModelOptions;
import dev.weft.engine.model.ModelSource;
import dev.weft.trainer.lm.LmOptions;
import dev.weft.trainer.model.ModelKind;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model llama} flags, shared by {@code weft train} and {@code weft train worker}. */
final class LanguageModelFlags {

  /** The prefix of a text corpus in {@code --dataset}. */
  static final String TEXT = "text:";

  @Option(
      names = "--init",
      defaultValue = "stories260K",
      paramLabel = "NAME|PATH",
      description =
          "--model llama: the llama2.c model to fine-tune, found like weft serve's --model; its"
              + " tokenizer encodes the corpus (default ${DEFAULT-VALUE})")
  String init;

  @Option(
      names = "--from-scratch",
      description = "--model llama: start from seeded random weights of --init's shape")
  boolean fromScratch;

  @Option(
      names = "--seq-len",
      defaultValue = "64",
      description = "--model llama: tokens per training window (default ${DEFAULT-VALUE})")
  int seqLen;

  @Option(
      names = "--held-out",
      defaultValue = "0.1",
      description =
          "--model llama: share of the corpus's documents held out (default ${DEFAULT-VALUE})")
  double heldOut;

  @Option(
      names = "--corpus-documents",
      defaultValue = "0",
      description = "--model llama: use only the first N documents (0: all, the default)")
  int corpusDocuments;

  @Option(
      names = "--eval-every",
      defaultValue = "50",
      description =
          "--model llama: held-out loss every N iterations, besides first and last"
              + " (0: only those; default ${DEFAULT-VALUE})")
  int evalEvery;

  @Option(
      names = "--eval-windows",
      defaultValue = "64",
      description =
          "--model llama: held-out windows per evaluation, at most (default ${DEFAULT-VALUE})")
  int evalWindows;

  @Option(
      names = "--grad-clip",
      defaultValue = "1.0",
      description =
          "--model llama: clip each worker's gradient to this L2 norm (0: off; default"
              + " ${DEFAULT-VALUE})")
  double gradClip;

  /** The language-model options for {@code model}, or null for a classifier. */
  LmOptions options(ModelKind model) {
    if (model != ModelKind.LLAMA) {
      return null;
    }
    ModelSource source = ModelOptions.searchPath().resolve(init);
    if (source.format() != ModelSource.Format.LLAMA2C) {
      throw new IllegalArgumentException(
          "--init "
              + init
              + ": a "
              + source.format()
              + " model; --model llama trains llama2.c models (NAME.bin with its tokenizer)");
    }
    return new LmOptions(
        source.checkpoint().toAbsolutePath().toString(),
        source.tokenizer().toAbsolutePath().toString(),
        fromScratch,
        seqLen,
        heldOut,
        corpusDocuments,
        evalEvery,
        evalWindows,
        gradClip);
  }

  /**
   * The data set path for {@code model}: {@code text:PATH} for a language model; for a classifier
   * {@code fashion-mnist} (the Debian package's files) or an IDX directory.
   */
  static Path dataset(ModelKind model, String name) {
    boolean text = name.startsWith(TEXT);
    if (model == ModelKind.LLAMA) {
      if (!text || name.length() == TEXT.length()) {
        throw new IllegalArgumentException(
            "--model llama needs --dataset text:PATH (a text file or a directory of them, e.g."
                + " text:/usr/share/games/fortunes), got '"
                + name
                + "'");
      }
      return Path.of(name.substring(TEXT.length()));
    }
    if (text) {
      throw new IllegalArgumentException(
          "--dataset " + name + " is a text corpus: it goes with --model llama");
    }
    return TrainCommand.dataset(name);
  }
}
