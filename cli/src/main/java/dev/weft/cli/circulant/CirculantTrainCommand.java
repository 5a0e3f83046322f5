package dev.weft.cli.circulant;

import ai.djl.ndarray.NDManager;
import dev.weft.accel.circulant.train.CirculantTrainer;
import dev.weft.accel.circulant.train.TrainConfig;
import dev.weft.accel.circulant.train.TrainResult;
import dev.weft.accel.circulant.train.TrainSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft circulant train}: trains one network dense, block-circulant directly (CirCNN) and/or
 * by ADMM (E-RNN) for each block size given, and prints held-out loss and accuracy per run; with
 * {@code --out} it appends the rows to a CSV and rewrites a Markdown table from it.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains dense vs block-circulant networks (direct or ADMM) and reports held-out accuracy.",
      "Tasks: mlp, cnn (Fashion-MNIST); seq-lstm, seq-gru (Fashion-MNIST rows as time steps);",
      "char-lstm, char-gru (character-level language model on a text file or folder)."
    })
public final class CirculantTrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--task",
      required = true,
      description = "mlp, cnn, seq-lstm, seq-gru, char-lstm, char-gru.")
  String task;

  @Option(
      names = "--method",
      split = ",",
      defaultValue = "dense,direct",
      description = "Comma-separated: dense, direct, admm (default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(
      names = "--k",
      split = ",",
      defaultValue = "8",
      description = "Comma-separated block sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> ks;

  @Option(
      names = "--data",
      description =
          "Fashion-MNIST folder, or for char tasks a text file or folder (default: /usr/share/datasets/fashion-mnist or /usr/share/games/fortunes).")
  Path data;

  @Option(
      names = "--steps",
      defaultValue = "500",
      description = "Optimizer steps per run (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--batch",
      defaultValue = "64",
      description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.002",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  float lr;

  @Option(
      names = "--train-size",
      defaultValue = "60000",
      description = "Training images used (default: ${DEFAULT-VALUE}).")
  int trainSize;

  @Option(
      names = "--test-size",
      defaultValue = "10000",
      description =
          "Held-out images, or held-out windows for char tasks (default: ${DEFAULT-VALUE}).")
  int testSize;

  @Option(
      names = "--hidden",
      description =
          "Recurrent width for the RNN tasks (default: 128), or the MLP's first hidden layer, the"
              + " second being half (default: 256: 784-256-128-10).")
  Integer hidden;

  @Option(
      names = "--length",
      defaultValue = "32",
      description = "Characters per window, char tasks (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(
      names = "--lr-schedule",
      defaultValue = "constant",
      description =
          "constant, or cosine: decay to 1%% along a cosine over each training phase (default: ${DEFAULT-VALUE}).")
  String schedule;

  @Option(
      names = "--rho",
      defaultValue = "0.05",
      description = "ADMM initial penalty (default: ${DEFAULT-VALUE}).")
  double rho;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed for initialization and batch order.")
  long seed;

  @Option(names = "--out", description = "Append rows to OUT.csv and rewrite OUT.md.")
  Path out;

  @Option(
      names = "--rewrite-report",
      description =
          "Only rewrite OUT.md from the rows of OUT.csv (e.g. after concatenating the CSVs of runs"
              + " made in parallel), then exit; trains nothing.")
  boolean rewriteReport;

  @Override
  public Integer call() throws IOException {
    if (rewriteReport) {
      if (out == null) {
        throw new IllegalArgumentException("--rewrite-report needs --out");
      }
      TrainReport.checkAppendable(out);
      Path csv = Path.of(out + ".csv");
      if (!java.nio.file.Files.exists(csv)) {
        throw new IllegalArgumentException(csv + " does not exist: nothing to report");
      }
      TrainReport.writeMarkdown(csv, Path.of(out + ".md"));
      spec.commandLine().getOut().println("rewrote " + out + ".md");
      return 0;
    }
    TrainSetup.Kind kind = TrainSetup.Kind.parse(task);
    if (!schedule.equals("constant") && !schedule.equals("cosine")) {
      throw new IllegalArgumentException(
          "unknown --lr-schedule '" + schedule + "' (constant, cosine)");
    }
    boolean chars = kind.name().startsWith("CHAR");
    Path dataPath =
        data != null
            ? data
            : Path.of(chars ? "/usr/share/games/fortunes" : "/usr/share/datasets/fashion-mnist");
    TrainSetup setup =
        new TrainSetup(
            kind,
            dataPath,
            trainSize,
            testSize,
            batch,
            hidden != null ? hidden : kind.defaultHidden(),
            length,
            seed);
    List<TrainConfig> configs = new ArrayList<>();
    for (String m : methods) {
      CirculantTrainer.Method method = parseMethod(m);
      if (method == CirculantTrainer.Method.DENSE) {
        configs.add(withRho(TrainConfig.of(method, 0, steps, lr, seed)));
        continue;
      }
      for (int k : ks) {
        configs.add(withRho(TrainConfig.of(method, k, steps, lr, seed)));
      }
    }
    if (out != null) {
      TrainReport.checkAppendable(out);
    }
    TrainSetup.Loaded loaded = setup.load();
    PrintWriter o = spec.commandLine().getOut();
    o.println(loaded.task().describe());
    o.printf(
        Locale.ROOT,
        "%-7s %4s %10s %9s %9s %11s %8s%n",
        "method",
        "k",
        "params",
        "loss",
        "accuracy",
        "projected",
        "seconds");
    List<TrainResult> results = new ArrayList<>();
    for (TrainConfig c : configs) {
      TrainResult r;
      try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
        r =
            new CirculantTrainer(
                    c, loaded.task(), line -> spec.commandLine().getErr().println("  " + line))
                .run(manager, loaded.models());
      }
      results.add(r);
      o.printf(
          Locale.ROOT,
          "%-7s %4s %10d %9.4f %9.4f %11s %8.1f%n",
          c.method().name().toLowerCase(Locale.ROOT),
          c.method() == CirculantTrainer.Method.DENSE ? "-" : Integer.toString(c.k()),
          r.parameters(),
          r.evalLoss(),
          r.evalAccuracy(),
          r.accuracyAfterProjection() == null
              ? "-"
              : String.format(Locale.ROOT, "%.4f", r.accuracyAfterProjection()),
          r.seconds());
      o.flush();
    }
    if (out != null) {
      TrainReport.append(
          out, setup, loaded.task(), spec.commandLine().getParseResult().originalArgs(), results);
    }
    return 0;
  }

  private TrainConfig withRho(TrainConfig c) {
    return new TrainConfig(
        c.method(),
        c.k(),
        c.steps(),
        c.learningRate(),
        c.seed(),
        rho,
        c.rhoGrowth(),
        c.admmInterval(),
        c.admmSplit(),
        c.logEvery(),
        schedule.equals("cosine"));
  }

  private static CirculantTrainer.Method parseMethod(String m) {
    try {
      return CirculantTrainer.Method.valueOf(m.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown method '" + m + "' (dense, direct, admm)");
    }
  }
}
