package dev.weft.cli.train;

import dev.weft.data.mnist.FashionMnist;
import dev.weft.trainer.algo.AlgorithmKind;
import dev.weft.trainer.comm.TrainingException;
import dev.weft.trainer.launch.LaunchConfig;
import dev.weft.trainer.launch.Launcher;
import dev.weft.trainer.launch.RecoveryOptions;
import dev.weft.trainer.lm.HeldOutCsv;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.sim.SimulatedRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft train}: runs a decentralized training job with N worker JVMs on this machine. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train an image classifier, or the engine's Llama on a text corpus (--model llama"
          + " --dataset text:PATH), with N worker JVMs talking gRPC on this machine.",
      "The last line printed is 'final test accuracy: 0.XXXX' (classifiers) or"
          + " 'final held-out loss: X.XXXX' (--model llama, whose model is saved in --out)."
    },
    subcommands = {
      TrainWorkerCommand.class,
      TrainBenchCommand.class,
      TrainStudyCommand.class,
      TrainScaleReportCommand.class
    })
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin SyncFlags sync = new SyncFlags();

  @Option(names = "--algo", description = "allreduce, ps, adpsgd, hop or ripples (required)")
  String algo;

  @Option(
      names = "--workers",
      defaultValue = "4",
      description = "worker JVMs, up to 64; simulated workers up to 256 (default ${DEFAULT-VALUE})")
  int workers;

  @Option(
      names = "--servers",
      defaultValue = "1",
      description = "parameter-server JVMs for --algo ps (default ${DEFAULT-VALUE})")
  int servers;

  @Option(names = "--async", description = "asynchronous parameter server (--algo ps)")
  boolean async;

  @Option(
      names = "--model",
      defaultValue = "mlp",
      description = "mlp, cnn or llama (default ${DEFAULT-VALUE})")
  String model;

  @Mixin LanguageModelFlags lm;

  @Option(
      names = "--dataset",
      defaultValue = "fashion-mnist",
      description =
          "fashion-mnist (the Debian package's files), a directory with the IDX files, or"
              + " text:PATH for --model llama")
  String dataset;

  @Option(
      names = "--epochs",
      defaultValue = "1",
      description = "passes over each worker's shard (default ${DEFAULT-VALUE})")
  int epochs;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "per-worker batch size (default ${DEFAULT-VALUE})")
  int batch;

  @Option(
      names = "--lr",
      defaultValue = "0.1",
      description = "SGD learning rate (default ${DEFAULT-VALUE})")
  float lr;

  @Option(
      names = "--target-accuracy",
      defaultValue = "0",
      description = "stop at the end of the first epoch whose test accuracy reaches this")
  double targetAccuracy;

  @Option(
      names = "--max-iterations",
      defaultValue = "0",
      description = "cap on iterations per worker (0: all epochs)")
  long maxIterations;

  @Option(
      names = "--slowdown",
      paramLabel = "RANK=FACTOR",
      description = "make worker RANK take FACTOR x its compute time (repeatable)")
  List<String> slowdowns = new ArrayList<>();

  @Option(
      names = "--transient-slowdown",
      paramLabel = "PROB=FACTOR",
      description = "each iteration, with probability PROB, take FACTOR x longer (every worker)")
  String transientSlowdown;

  @Option(
      names = "--net-delay-ms",
      defaultValue = "0",
      description = "added one-way delay per message (default ${DEFAULT-VALUE})")
  double netDelayMs;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "seed of every random choice (default ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--prometheus",
      description =
          "serve each worker's metrics in Prometheus format (ports in the worker logs' configs)")
  boolean prometheus;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "longest single wait inside a worker, seconds (default ${DEFAULT-VALUE})")
  long timeout;

  @Option(
      names = "--run-timeout",
      defaultValue = "3600",
      description = "longest the whole run may take, seconds (default ${DEFAULT-VALUE})")
  long runTimeout;

  @Option(
      names = "--worker-heap",
      defaultValue = "1g",
      description = "-Xmx of each worker JVM (default ${DEFAULT-VALUE})")
  String workerHeap;

  @Option(names = "--out", description = "directory for logs, metrics.csv, loss.png (required)")
  Path out;

  @Option(
      names = "--accuracy-every",
      paramLabel = "N",
      description =
          "worker 0 records its test accuracy every N iterations into OUT/accuracy.csv"
              + " (parameters kept in memory, evaluated after training; 0: never)")
  int accuracyEvery;

  @Option(
      names = "--warmup-iterations",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "real runs: before the clock starts, every process runs N untimed iterations of the"
              + " algorithm on a throwaway copy of the model (servers serving them), so that"
              + " timings are of JIT-compiled code (the simulation models that steady state;"
              + " default 0)")
  int warmupIterations;

  @Option(
      names = "--kill",
      paramLabel = "RANK@ITERATION",
      description = "fault injection: worker RANK dies abruptly at ITERATION (repeatable)")
  List<String> kills = new ArrayList<>();

  @Option(
      names = "--checkpoint-every",
      defaultValue = "200",
      description =
          "every worker writes its model to OUT/checkpoint every N iterations (0: never;"
              + " default ${DEFAULT-VALUE})")
  long checkpointEvery;

  @Option(
      names = "--resume",
      paramLabel = "DIR",
      description = "continue from the checkpoints of the run that wrote DIR (its --out)")
  Path resume;

  @CommandLine.ArgGroup(exclusive = false, heading = "Simulation (one process, virtual time):%n")
  SimulationFlags simulation;

  /** Maps {@code fashion-mnist} to the Debian package's directory; anything else is a path. */
  static Path dataset(String name) {
    return name.equals("fashion-mnist") ? FashionMnist.DEFAULT_DIR : Path.of(name);
  }

  static Map<Integer, Long> parseKills(List<String> specs) {
    Map<Integer, Long> m = new LinkedHashMap<>();
    for (String s : specs) {
      String[] kv = s.split("@");
      try {
        if (kv.length != 2) {
          throw new NumberFormatException();
        }
        m.put(Integer.parseInt(kv[0].trim()), Long.parseLong(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--kill '" + s + "' is not RANK@ITERATION (e.g. 3@50)");
      }
    }
    return m;
  }

  static Map<Integer, Double> parseSlowdowns(List<String> specs) {
    Map<Integer, Double> m = new LinkedHashMap<>();
    for (String s : specs) {
      String[] kv = s.split("=");
      try {
        if (kv.length != 2) {
          throw new NumberFormatException();
        }
        m.put(Integer.parseInt(kv[0].trim()), Double.parseDouble(kv[1].trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--slowdown '" + s + "' is not RANK=FACTOR (e.g. 3=5.0)");
      }
    }
    return m;
  }

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } catch (TrainingException e) {
      // A failed run (peer unreachable, model mismatch, a worker died): its message says what
      // happened and where; a stack trace would only bury it.
      spec.commandLine().getErr().println("weft %s: error: ".formatted("train") + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  private Integer run() throws Exception {
    // Not picocli-required: that would also demand them before the worker and bench verbs.
    if (algo == null || out == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required options: --algo and --out");
    }
    double tProb = 0;
    double tFactor = 1;
    if (transientSlowdown != null) {
      String[] kv = transientSlowdown.split("=");
      try {
        tProb = Double.parseDouble(kv[0]);
        tFactor = Double.parseDouble(kv[1]);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "--transient-slowdown '" + transientSlowdown + "' is not PROB=FACTOR (e.g. 0.05=3)");
      }
    }
    AlgorithmKind kind = AlgorithmKind.parse(algo);
    ModelKind modelKind = ModelKind.parse(model);
    LaunchConfig config =
        new LaunchConfig(
            kind,
            workers,
            kind == AlgorithmKind.PS ? servers : 0,
            async,
            modelKind,
            LanguageModelFlags.dataset(modelKind, dataset),
            epochs,
            batch,
            lr,
            targetAccuracy,
            maxIterations,
            seed,
            parseSlowdowns(slowdowns),
            tProb,
            tFactor,
            (long) (netDelayMs * 1000),
            out,
            prometheus,
            timeout,
            runTimeout,
            List.of("-Xmx" + workerHeap),
            System.getProperty("java.class.path"),
            sync.hop(),
            sync.ripples(),
            lm.options(modelKind),
            accuracyEvery,
            warmupIterations);
    RecoveryOptions recovery = new RecoveryOptions(parseKills(kills), checkpointEvery, resume);
    Launcher.Result r =
        simulation != null && simulation.simulate
            ? new SimulatedRun(
                    config,
                    simulation.options(config.workers(), config.slowdowns().keySet()),
                    recovery,
                    System.err)
                .run()
            : new Launcher(config, recovery, System.err).run();
    var o = spec.commandLine().getOut();
    o.printf(
        Locale.ROOT,
        "%s: %d workers, %d iterations in %.1f s%s; metrics in %s%n",
        kind.cliName(),
        workers,
        r.iterations(),
        r.seconds(),
        simulation != null && simulation.simulate ? " (simulated)" : "",
        r.outDir());
    if (modelKind == ModelKind.LLAMA) {
      for (HeldOutCsv.Row row : r.heldOut()) {
        o.printf(
            Locale.ROOT, "held-out loss after %d iterations: %.4f%n", row.iteration(), row.loss());
      }
      o.printf(Locale.ROOT, "model saved in %s (weft serve --model %s)%n", r.outDir(), r.outDir());
      o.printf(Locale.ROOT, "final held-out loss: %.4f%n", r.finalHeldOutLoss());
    } else {
      o.printf(Locale.ROOT, "final test accuracy: %.4f%n", r.testAccuracy());
    }
    o.flush();
    return 0;
  }
}
