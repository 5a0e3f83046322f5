package dev.weft.cli.train;

import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.TrainingException;
import dev.weft.trainer.grpc.PeerAddress;
import dev.weft.trainer.grpc.PeerTls;
import dev.weft.trainer.model.ModelKind;
import dev.weft.trainer.worker.Worker;
import dev.weft.trainer.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weft train worker}: one worker or parameter-server process, for running by hand or in a
 * Kubernetes StatefulSet (peers from DNS names, rank from the pod's host name).
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Run one training process (worker, or parameter server for ranks >= --workers).")
public final class TrainWorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  static final class Peers {
    @Option(
        names = "--peers",
        description = "host:port of every rank, comma-separated, workers first")
    String list;

    @Option(
        names = "--peer-pattern",
        description = "DNS pattern with {rank}, e.g. trainer-{rank}.trainer:7070")
    String pattern;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Peers peers;

  @Option(
      names = "--run-id",
      defaultValue = "weft-train",
      description = "shared by all processes of the run")
  String runId;

  @Option(
      names = "--rank",
      description = "this process's rank (default: the number ending the host name)")
  Integer rank;

  @Option(
      names = "--coordinator",
      defaultValue = "",
      description = "host:port of the control service (optional)")
  String coordinator;

  @Option(names = "--algo", required = true)
  String algo;

  @Option(names = "--workers", required = true)
  int workers;

  @picocli.CommandLine.Mixin SyncFlags sync = new SyncFlags();

  @Option(names = "--servers", defaultValue = "0")
  int servers;

  @Option(names = "--async")
  boolean async;

  @Option(names = "--model", defaultValue = "mlp")
  String model;

  @Option(names = "--dataset", defaultValue = "fashion-mnist")
  String dataset;

  @Mixin LanguageModelFlags lm;

  @Option(names = "--epochs", defaultValue = "1")
  int epochs;

  @Option(names = "--batch", defaultValue = "32")
  int batch;

  @Option(names = "--lr", defaultValue = "0.1")
  float lr;

  @Option(names = "--target-accuracy", defaultValue = "0")
  double targetAccuracy;

  @Option(names = "--max-iterations", defaultValue = "0")
  long maxIterations;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(
      names = "--slowdown",
      defaultValue = "1",
      description = "this process's compute-time factor")
  double slowdown;

  @Option(names = "--net-delay-ms", defaultValue = "0")
  double netDelayMs;

  @Option(
      names = "--warmup-iterations",
      defaultValue = "0",
      description =
          "untimed JIT warm-up before the clock starts: this many iterations of the algorithm"
              + " on a throwaway copy of the model (all processes of a run must agree; default 0)")
  int warmupIterations;

  @Option(names = "--metrics-port", defaultValue = "0", description = "Prometheus port (0: none)")
  int metricsPort;

  @Option(names = "--timeout", defaultValue = "120", description = "longest single wait, seconds")
  long timeout;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description =
          "This process's certificate chain: mutual TLS with every peer (with --tls-key, --tls-ca).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "Private key of --tls-cert (PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--tls-ca",
      paramLabel = "PEM",
      description = "The run's CA: peers must present a certificate it signed.")
  Path tlsCa;

  @Option(
      names = "--out",
      defaultValue = ".",
      description = "directory for this process's metrics CSV")
  Path out;

  static int rankFromHostname(String host) {
    int i = host.length();
    while (i > 0 && Character.isDigit(host.charAt(i - 1))) {
      i--;
    }
    if (i == host.length()) {
      throw new IllegalArgumentException(
          "--rank not given and host name '" + host + "' does not end in a number");
    }
    return Integer.parseInt(host.substring(i));
  }

  private PeerTls peerTls() {
    int given = (tlsCert != null ? 1 : 0) + (tlsKey != null ? 1 : 0) + (tlsCa != null ? 1 : 0);
    if (given == 0) {
      return null;
    }
    if (given < 3) {
      throw new IllegalArgumentException(
          "peer TLS needs all of --tls-cert, --tls-key and --tls-ca");
    }
    return new PeerTls(tlsCert, tlsKey, tlsCa);
  }

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } catch (TrainingException e) {
      // A failed run (peer unreachable, model mismatch, a worker died): its message says what
      // happened and where; a stack trace would only bury it.
      spec.commandLine()
          .getErr()
          .println("weft %s: error: ".formatted("train worker") + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
  }

  private Integer run() throws Exception {
    // Ripples' group generator is the one extra process in dynamic mode, whatever --servers says.
    servers =
        dev.weft.trainer.algo.AlgorithmKind.parse(algo).serverProcesses(servers, sync.ripples());
    int total = workers + servers;
    List<PeerAddress> addrs =
        peers.list != null
            ? PeerAddress.parseList(peers.list)
            : PeerAddress.fromPattern(peers.pattern, total);
    int me =
        rank != null
            ? rank
            : rankFromHostname(
                System.getenv()
                    .getOrDefault("HOSTNAME", java.net.InetAddress.getLocalHost().getHostName()));
    WorkerConfig config =
        new WorkerConfig(
            runId,
            me,
            addrs.stream().map(PeerAddress::toString).toList(),
            coordinator,
            algo,
            workers,
            servers,
            async,
            model,
            LanguageModelFlags.dataset(ModelKind.parse(model), dataset).toString(),
            epochs,
            batch,
            lr,
            targetAccuracy,
            maxIterations,
            seed,
            slowdown,
            0,
            1,
            (long) (netDelayMs * 1000),
            out.toString(),
            metricsPort,
            timeout,
            dev.weft.trainer.algo.AlgorithmConfig.DEFAULT_CHUNK_ELEMENTS,
            sync.hop(),
            sync.ripples(),
            null,
            lm.options(ModelKind.parse(model)),
            0,
            warmupIterations);
    Worker.Result r = new Worker(config, Clock.system(), peerTls()).run();
    if (r.testAccuracy() >= 0) {
      spec.commandLine()
          .getOut()
          .printf(Locale.ROOT, "final test accuracy: %.4f%n", r.testAccuracy());
    }
    if (r.heldOutLoss() >= 0) {
      spec.commandLine()
          .getOut()
          .printf(Locale.ROOT, "final held-out loss: %.4f%n", r.heldOutLoss());
    }
    return 0;
  }
}
