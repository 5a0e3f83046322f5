package dev.weft.cli.model;

import dev.weft.engine.hf.Dtype;
import dev.weft.engine.hf.ModelShapes;
import dev.weft.engine.hf.RandomCheckpoint;
import dev.weft.engine.model.LlamaConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft init-model}: a random-weight Hugging Face Llama of a real shape. */
@Command(
    name = "init-model",
    mixinStandardHelpOptions = true,
    description = {
      "Write a random-weight Hugging Face Llama folder of a real shape, for benchmarks: weights"
          + " drawn from N(0, 0.02^2) with a seed, RMSNorm weights 1, and a synthetic byte-fallback"
          + " BPE tokenizer.json of exactly the vocabulary size (specials, 256 byte tokens,"
          + " printable ASCII, letter pairs, then <reserved_N> fillers).",
      "Its text output is meaningless; its size and speed are a real model's."
    })
public final class InitModelCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--shape",
      required = true,
      paramLabel = "15M|110M|SPEC",
      description = "The model's shape: " + ModelShapes.HELP + ".")
  String shape;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output folder; must not exist or be empty.")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the weights (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--dtype",
      defaultValue = "f32",
      description = "Stored weight type: f32, bf16 or f16 (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Override
  public Integer call() throws IOException {
    LlamaConfig c = ModelShapes.parse(shape);
    Dtype stored = OutputFolder.dtype(dtype);
    OutputFolder.requireFresh("--out", out);
    RandomCheckpoint.write(out, c, seed, stored);
    spec.commandLine()
        .getOut()
        .printf(
            "wrote a random %s model to %s: %,d parameters (dim %d, %d layers, %d heads, %d KV"
                + " heads, hidden %d, vocab %d, context %d), %s, seed %d, %,d bytes%n",
            shape,
            out,
            c.parameterCount(),
            c.dim(),
            c.nLayers(),
            c.nHeads(),
            c.nKvHeads(),
            c.hiddenDim(),
            c.vocabSize(),
            c.maxSeqLen(),
            stored,
            seed,
            OutputFolder.bytes(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
