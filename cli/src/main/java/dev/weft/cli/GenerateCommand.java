package dev.weft.cli;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.generate.Generator;
import dev.weft.engine.generate.PromptTooLongException;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.tokenizer.Tokenizer;
import dev.weft.scheduler.SamplingParams;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft generate}: one prompt, text streamed to stdout, a summary on stderr. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Generate text from a prompt with one model, streaming it to stdout.")
final class GenerateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions = new ModelOptions();

  @Option(
      names = "--prompt",
      defaultValue = "",
      description = "Prompt text (default: empty, start from BOS).")
  String prompt;

  @Mixin SamplingFlags sampling = new SamplingFlags();

  @Override
  public Integer call() {
    long actualSeed = sampling.seedOrRandom();
    SamplingParams params = sampling.params(actualSeed);
    LoadedModel loaded = LoadedModel.load(modelOptions.resolve());
    Tokenizer tokenizer = loaded.tokenizer();
    int[] promptTokens = tokenizer.encode(prompt, true);
    if (promptTokens.length >= loaded.config().maxSeqLen()) {
      throw new PromptTooLongException(promptTokens.length, loaded.config().maxSeqLen());
    }
    PrintStream out = System.out;
    java.io.PrintWriter err = spec.commandLine().getErr();
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        LlamaModel model = new LlamaModel(manager, loaded.weights())) {
      Generator generator = new Generator(model, loaded.stopTokens());
      Generator.Result result =
          generator.generate(
              promptTokens,
              params,
              (previous, token) -> {
                byte[] piece = tokenizer.decodePiece(previous, token);
                out.write(piece, 0, piece.length);
                out.flush();
              });
      out.println();
      out.flush();
      double seconds = (result.promptNanos() + result.decodeNanos()) / 1e9;
      err.printf(
          "%d tokens in %.2f s (%.1f tokens/s); prompt %d tokens in %.1f ms; finish: %s;"
              + " seed %d%n",
          result.tokens().length,
          seconds,
          result.tokens().length / Math.max(seconds, 1e-9),
          promptTokens.length,
          result.promptNanos() / 1e6,
          result.reason().name().toLowerCase(java.util.Locale.ROOT),
          actualSeed);
    }
    return 0;
  }
}
