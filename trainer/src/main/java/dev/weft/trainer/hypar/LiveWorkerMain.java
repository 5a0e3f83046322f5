package dev.weft.trainer.hypar;

import com.google.gson.Gson;
import dev.weft.trainer.comm.Clock;
import dev.weft.trainer.comm.PeerNetwork;
import dev.weft.trainer.grpc.GrpcPeerNetwork;
import dev.weft.trainer.grpc.PeerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A live-check worker JVM: {@code LiveWorkerMain CONFIG.json}. Joins the gRPC peer network, runs
 * the HyPar-partitioned MLP for the configured steps, checks every step's gradient slices against
 * the single-worker reference (computed here from the same seed), and writes a {@link WorkerResult}
 * as JSON. Exit 0 on success, 1 with the error on stderr.
 */
public final class LiveWorkerMain {

  /**
   * One worker's measurements: payload bytes it sent in each step, bytes its JVM wrote to sockets
   * over the steps (Linux {@code /proc/self/io} wchar; -1 where unavailable), the largest gradient
   * difference from the reference, and the steps' wall time.
   */
  public record WorkerResult(
      int rank, List<Long> payloadBytes, long wireBytes, double maxGradError, double seconds) {}

  private LiveWorkerMain() {}

  public static void main(String[] args) {
    try {
      LiveConfig c =
          new Gson()
              .fromJson(
                  Files.readString(Path.of(args[0]), StandardCharsets.UTF_8), LiveConfig.class);
      c =
          new LiveConfig(
              c.runId(),
              c.rank(),
              c.peers(),
              c.widths(),
              c.batch(),
              c.bits(),
              c.steps(),
              c.seed(),
              c.lr(),
              c.out(),
              c.timeoutSeconds());
      List<PeerAddress> peers = new ArrayList<>();
      c.peers().forEach(p -> peers.add(PeerAddress.parse(p)));
      Duration t = Duration.ofSeconds(c.timeoutSeconds());
      WorkerResult r;
      try (GrpcPeerNetwork net =
          GrpcPeerNetwork.start(c.runId(), c.rank(), peers, null, t, t, Clock.system())) {
        r = run(net, c);
      }
      Files.writeString(Path.of(c.out()), new Gson().toJson(r), StandardCharsets.UTF_8);
      System.exit(0);
    } catch (Throwable e) {
      System.err.println("hypar live worker failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** Runs the steps on {@code net}; any {@link PeerNetwork} (gRPC or in-process) will do. */
  public static WorkerResult run(PeerNetwork net, LiveConfig c) throws IOException {
    MlpLayout layout = c.layout();
    Duration t = Duration.ofSeconds(c.timeoutSeconds());
    HyParMlp worker =
        new HyParMlp(layout, net.rank(), DenseMlp.initialWeights(c.widths(), c.seed()), c.lr());
    DenseMlp ref = new DenseMlp(c.widths(), c.seed(), c.lr());
    barrier(net, 0, t);
    long wire0 = wchar();
    long t0 = System.nanoTime();
    List<Long> payload = new ArrayList<>();
    double err = 0;
    for (int s = 0; s < c.steps(); s++) {
      float[] x = DenseMlp.inputs(c.widths(), c.batch(), c.seed(), s);
      int[] y = DenseMlp.labels(c.widths(), c.batch(), c.seed(), s);
      long b0 = net.bytesSent();
      HyParMlp.Gradients g = worker.step(net, x, y, s, t);
      payload.add(net.bytesSent() - b0);
      err = Math.max(err, LiveCheck.maxError(g, ref.step(x, y), c.widths()));
    }
    barrier(net, 1, t);
    double seconds = (System.nanoTime() - t0) / 1e9;
    long wire1 = wchar();
    return new WorkerResult(
        net.rank(), payload, wire0 < 0 || wire1 < 0 ? -1 : wire1 - wire0, err, seconds);
  }

  /** Everyone sends one value to everyone: nobody leaves before all have arrived. */
  static void barrier(PeerNetwork net, long seq, Duration t) {
    for (int p = 0; p < net.size(); p++) {
      if (p != net.rank()) {
        net.send(p, "barrier", seq, new float[] {1});
      }
    }
    for (int p = 0; p < net.size(); p++) {
      if (p != net.rank()) {
        net.receive(p, "barrier", t).expectSeq(seq);
      }
    }
  }

  /** Bytes this process has written with write(2)-family calls, sockets included; -1 if unknown. */
  static long wchar() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
        if (line.startsWith("wchar:")) {
          return Long.parseLong(line.substring(6).trim());
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
