package dev.weft.cli.circulant;

import ai.djl.ndarray.NDManager;
import dev.weft.accel.circulant.train.LlamaFfnCompressor;
import dev.weft.cli.ModelOptions;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.llama2c.Llama2cCheckpointWriter;
import dev.weft.engine.model.CirculantFfn;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft circulant compress}: a llama2.c model's feed-forward matrices made block-circulant by
 * end-to-end self-distillation (ADMM, projection, fine-tuning), written as a model folder that
 * {@code weft serve --model DIR} loads.
 */
@Command(
    name = "compress",
    mixinStandardHelpOptions = true,
    description = {
      "Makes a llama2.c model's feed-forward matrices block-circulant (end-to-end",
      "self-distillation on text the model itself samples: ADMM, projection, fine-tuning),",
      "writes OUT/model.bin + tokenizer, and reports held-out loss vs dense."
    })
public final class CirculantCompressCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "Dense llama2.c model (name or path).")
  String model;

  @Option(
      names = "--k",
      defaultValue = "8",
      description = "Block size (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--out",
      required = true,
      description = "Folder to write the compressed model to.")
  Path out;

  @Option(
      names = "--train-seqs",
      defaultValue = "128",
      description = "Sampled sequences to distill on (default: ${DEFAULT-VALUE}).")
  int trainSeqs;

  @Option(
      names = "--held-out-seqs",
      defaultValue = "8",
      description = "Sampled held-out sequences.")
  int heldOutSeqs;

  @Option(names = "--length", defaultValue = "128", description = "Tokens per sampled sequence.")
  int length;

  @Option(
      names = "--steps",
      defaultValue = "600",
      description =
          "Optimizer steps over the whole model: the first half ADMM, the rest fine-tuning the"
              + " block vectors after the projection (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch",
      defaultValue = "8",
      description = "Sequences per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--lr", defaultValue = "0.001", description = "Adam learning rate.")
  float lr;

  @Option(
      names = "--rho",
      defaultValue = "0.001",
      description = "ADMM initial penalty, x1.3 per update (default: ${DEFAULT-VALUE}).")
  double rho;

  @Option(names = "--seed", defaultValue = "1", description = "Sampling and batch-order seed.")
  long seed;

  @Option(names = "--report", description = "Write a Markdown report here.")
  Path report;

  @Override
  public Integer call() throws IOException {
    ModelSource source = ModelOptions.searchPath().resolve(model);
    if (source.format() != ModelSource.Format.LLAMA2C) {
      throw new IllegalArgumentException(
          source.name() + " is a " + source.format() + " model; compress reads llama2.c models");
    }
    LoadedModel loaded = LoadedModel.load(source);
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LlamaFfnCompressor.Settings settings =
        new LlamaFfnCompressor.Settings(
            k, trainSeqs, heldOutSeqs, length, steps, batch, lr, rho, seed);
    LlamaFfnCompressor.Result r =
        LlamaFfnCompressor.compress(loaded.weights(), settings, line -> err.println("  " + line));
    Files.createDirectories(out);
    Path checkpoint = out.resolve("model.bin");
    Llama2cCheckpointWriter.write(r.compressed(), checkpoint);
    Files.copy(
        source.tokenizer(),
        out.resolve(source.tokenizer().getFileName()),
        StandardCopyOption.REPLACE_EXISTING);
    var c = loaded.config();
    long denseFfn = 3L * c.dim() * c.hiddenDim() * c.nLayers();
    long blockFfn =
        (2 * CirculantFfn.storedValues(c.hiddenDim(), c.dim(), k)
                + CirculantFfn.storedValues(c.dim(), c.hiddenDim(), k))
            * c.nLayers();
    String sample;
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        LlamaModel m = new LlamaModel(manager, r.compressed())) {
      int[] tokens =
          LlamaFfnCompressor.sample(m, 1, Math.min(200, c.maxSeqLen()), new Random(seed + 99))
              .get(0);
      sample = loaded.tokenizer().decode(tokens[0], Arrays.copyOfRange(tokens, 1, tokens.length));
    }
    double[] l = r.heldOutLoss();
    String text =
        String.format(
            Locale.ROOT,
            "model %s, k = %d: feed-forward weights %d -> %d values (%.1fx fewer); checkpoint %s (%d"
                + " bytes)%nheld-out loss (nats/token on %d sampled sequences of %d tokens):"
                + " dense %.4f, projection only %.4f, ADMM + fine-tune %.4f%n",
            source.name(),
            k,
            denseFfn,
            blockFfn,
            (double) denseFfn / blockFfn,
            checkpoint,
            Files.size(checkpoint),
            heldOutSeqs,
            length,
            l[0],
            l[1],
            l[2]);
    o.print(text);
    o.println("sample from the compressed model: " + sample);
    if (report != null) {
      writeReport(text, r.log(), sample);
    }
    return 0;
  }

  private void writeReport(String summary, List<String> log, String sample) throws IOException {
    StringBuilder b =
        new StringBuilder("# stories260K with block-circulant feed-forward matrices\n\n");
    b.append("Command: `weft ")
        .append(String.join(" ", spec.commandLine().getParseResult().originalArgs()))
        .append("`  \nDate: ")
        .append(Instant.now())
        .append("  \nMachine: shared 2-vCPU box, other builds running.\n\n");
    b.append("```\n").append(summary);
    for (String line : log) {
      b.append(line).append('\n');
    }
    b.append("```\n\nSample (compressed model, temperature 1):\n\n> ")
        .append(sample.replace("\n", "\n> "))
        .append("\n\nThe training text is sampled from the dense model itself (self-distillation;")
        .append(" stories260K's training data is not available here); the held-out loss is on")
        .append(" further sampled sequences. Serve it with `weft serve --model ")
        .append(out)
        .append("`.\n");
    if (report.getParent() != null) {
      Files.createDirectories(report.getParent());
    }
    Files.writeString(report, b.toString());
  }
}
