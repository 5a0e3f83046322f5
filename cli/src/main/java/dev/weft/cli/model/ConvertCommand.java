package dev.weft.cli.model;

import dev.weft.engine.hf.Dtype;
import dev.weft.engine.hf.HfConfig;
import dev.weft.engine.hf.Llama2cToHf;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.ModelSearchPath;
import dev.weft.engine.model.ModelSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft convert}: a llama2.c model to a Hugging Face Llama folder. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Convert a llama2.c model (checkpoint .bin and tokenizer .bin) to a Hugging Face Llama"
          + " folder: config.json, generation_config.json, model.safetensors, tokenizer.json.",
      "The q/k weights are permuted from llama2.c's interleaved rotary pairs to Hugging Face's"
          + " halves, so both forms compute the same logits; the tokenizer.json encodes text to"
          + " the same ids as the llama2.c tokenizer."
    })
public final class ConvertCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "PATH",
      description =
          "llama2.c model folder (NAME.bin or model.bin, tokenizer.bin or tok*.bin), or"
              + " the checkpoint .bin with its tokenizer beside it.")
  Path from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DIR",
      description = "Output folder; must not exist or be empty.")
  Path to;

  @Option(
      names = "--dtype",
      defaultValue = "f32",
      description = "Stored weight type: f32 (exact), bf16 or f16 (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Override
  public Integer call() throws IOException {
    Dtype stored = OutputFolder.dtype(dtype);
    if (!Files.exists(from)) {
      throw new IllegalArgumentException("--from " + from + ": no such file or folder");
    }
    ModelSource source = new ModelSearchPath(List.of()).resolve(from.toString());
    if (source.format() != ModelSource.Format.LLAMA2C) {
      throw new IllegalArgumentException(
          "--from " + from + " is already a Hugging Face model; convert reads llama2.c models");
    }
    OutputFolder.requireFresh("--to", to);
    HfConfig config = Llama2cToHf.convert(source, to, stored);
    LlamaConfig c = config.llama();
    spec.commandLine()
        .getOut()
        .printf(
            "converted %s (llama2.c, %,d parameters: dim %d, %d layers, %d heads, %d KV heads,"
                + " vocab %d, context %d) to %s as %s, %,d bytes%n",
            source.name(),
            c.parameterCount(),
            c.dim(),
            c.nLayers(),
            c.nHeads(),
            c.nKvHeads(),
            c.vocabSize(),
            c.maxSeqLen(),
            to,
            stored,
            OutputFolder.bytes(to));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
