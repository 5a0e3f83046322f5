package dev.weft.trainer.hypar;

import com.google.gson.Gson;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.LocalNetwork;
import dev.weft.trainer.launch.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The live check: an MLP trained under a HyPar plan by {@code 2^H} workers, either worker JVMs over
 * the trainer's gRPC transport or threads over its in-process network. Reports the payload bytes
 * all workers sent per step beside two predictions, the exact accounting of the plan ({@link
 * ExactComm}, which the payload should equal) and HyPar's per-level model (which undercounts where
 * a level must forward what it received from the level above), the bytes the JVMs wrote to their
 * sockets, and the largest gradient difference from single-worker training.
 */
public final class LiveCheck {

  /** Default SGD step and seed of the live check. */
  public static final float LR = 0.05f;

  public static final long SEED = 12;

  private LiveCheck() {}

  /**
   * @param exactBytes the exact accounting's bytes per step, all workers together ({@link
   *     ExactComm#bytes()})
   * @param paperBytes HyPar's per-level model, bytes per step, all workers together (2 x 4 x the
   *     paper's total: both directions of every exchange)
   * @param payloadBytes measured payload bytes per step, all workers together (the same every step;
   *     the first step's)
   * @param wireBytes bytes all worker JVMs wrote to sockets over the steps (-1 if unknown)
   */
  public record Result(
      String network,
      int workers,
      List<String> bits,
      int steps,
      long exactBytes,
      double paperBytes,
      long payloadBytes,
      long wireBytes,
      double maxGradError,
      double seconds,
      String transport) {

    /** Payload over the exact accounting: 1 when the implementation moves what it must. */
    public double ratio() {
      return payloadBytes / (double) exactBytes;
    }

    /** Payload over HyPar's per-level model. */
    public double paperRatio() {
      return payloadBytes / paperBytes;
    }
  }

  static List<LiveConfig> configs(
      Network net, Plan plan, int steps, List<String> peers, Path dir, long timeoutSeconds) {
    MlpLayout layout = MlpLayout.of(net, plan);
    String runId = "hypar-" + UUID.randomUUID().toString().substring(0, 8);
    List<LiveConfig> out = new ArrayList<>();
    for (int r = 0; r < layout.workers(); r++) {
      out.add(
          new LiveConfig(
              runId,
              r,
              peers,
              layout.widths(),
              net.batch(),
              plan.allBits(),
              steps,
              SEED,
              LR,
              dir.resolve("worker-" + r + ".json").toString(),
              timeoutSeconds));
    }
    return out;
  }

  /** Threads of this process over {@link LocalNetwork}. */
  public static Result inProcess(Network net, Plan plan, int steps) throws Exception {
    int n = 1 << plan.depth();
    List<String> peers = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      peers.add("inprocess:hypar-" + r);
    }
    List<LiveConfig> cs = configs(net, plan, steps, peers, Path.of("."), 60);
    LocalNetwork local = new LocalNetwork(n, Clock.system());
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      long t0 = System.nanoTime();
      List<Future<LiveWorkerMain.WorkerResult>> fs = new ArrayList<>();
      for (LiveConfig c : cs) {
        fs.add(pool.submit(() -> LiveWorkerMain.run(local.peer(c.rank()), c)));
      }
      List<LiveWorkerMain.WorkerResult> rs = new ArrayList<>();
      for (Future<LiveWorkerMain.WorkerResult> f : fs) {
        rs.add(f.get(120, TimeUnit.SECONDS));
      }
      return combine(net, plan, steps, rs, -1, (System.nanoTime() - t0) / 1e9, "in-process");
    } finally {
      pool.shutdownNow();
    }
  }

  /** One JVM per worker on loopback, talking over {@code GrpcPeerNetwork}. */
  public static Result jvms(Network net, Plan plan, int steps, Path dir, String classpath)
      throws IOException, InterruptedException {
    int n = 1 << plan.depth();
    Files.createDirectories(dir);
    List<String> peers = new ArrayList<>();
    for (int p : FreePorts.pick(n)) {
      peers.add("127.0.0.1:" + p);
    }
    List<LiveConfig> cs = configs(net, plan, steps, peers, dir, 90);
    List<Process> procs = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (LiveConfig c : cs) {
        Path json = dir.resolve("config-" + c.rank() + ".json");
        Files.writeString(json, new Gson().toJson(c), StandardCharsets.UTF_8);
        ProcessBuilder pb =
            new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath,
                LiveWorkerMain.class.getName(),
                json.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("worker-" + c.rank() + ".log").toFile());
        procs.add(pb.start());
      }
      for (int r = 0; r < n; r++) {
        Process p = procs.get(r);
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
          throw new IllegalStateException(
              "live-check worker " + r + " failed; see " + dir.resolve("worker-" + r + ".log"));
        }
      }
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<LiveWorkerMain.WorkerResult> rs = new ArrayList<>();
    long wire = 0;
    for (LiveConfig c : cs) {
      LiveWorkerMain.WorkerResult r =
          new Gson()
              .fromJson(
                  Files.readString(Path.of(c.out()), StandardCharsets.UTF_8),
                  LiveWorkerMain.WorkerResult.class);
      rs.add(r);
      wire = wire < 0 || r.wireBytes() < 0 ? -1 : wire + r.wireBytes();
    }
    return combine(net, plan, steps, rs, wire, seconds, n + " JVMs, gRPC on loopback");
  }

  private static Result combine(
      Network net,
      Plan plan,
      int steps,
      List<LiveWorkerMain.WorkerResult> rs,
      long wire,
      double seconds,
      String transport) {
    long[] perStep = new long[steps];
    double err = 0;
    for (LiveWorkerMain.WorkerResult r : rs) {
      for (int s = 0; s < steps; s++) {
        perStep[s] += r.payloadBytes().get(s);
      }
      err = Math.max(err, r.maxGradError());
    }
    for (int s = 1; s < steps; s++) {
      if (perStep[s] != perStep[0]) {
        throw new IllegalStateException(
            "payload differs between steps: " + perStep[0] + " then " + perStep[s] + " bytes");
      }
    }
    return new Result(
        net.name(),
        rs.size(),
        plan.allBits(),
        steps,
        ExactComm.of(MlpLayout.of(net, plan)).bytes(),
        plan.bytesSentByAll(),
        perStep[0],
        wire,
        err,
        seconds,
        transport);
  }

  /** Largest absolute difference between a worker's gradient slices and the reference. */
  public static double maxError(HyParMlp.Gradients g, float[][] ref, int[] widths) {
    double err = 0;
    for (int l = 0; l < g.values().length; l++) {
      int n = widths[l + 1];
      int start = g.rows().get(l).start();
      float[] v = g.values()[l];
      for (int i = 0; i < v.length; i++) {
        err = Math.max(err, Math.abs(v[i] - ref[l][start * n + i]));
      }
    }
    return err;
  }
}
