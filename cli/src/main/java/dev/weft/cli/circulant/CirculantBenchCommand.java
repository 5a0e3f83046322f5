package dev.weft.cli.circulant;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.weft.accel.circulant.BlockCirculantMatrix;
import dev.weft.accel.circulant.CirculantBackend;
import dev.weft.accel.circulant.CirculantBackends;
import dev.weft.accel.circulant.CirculantBench;
import dev.weft.accel.circulant.KernelOptions;
import dev.weft.cli.sim.HardwareProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * {@code weft circulant bench}: a random n × n block-circulant matrix; per backend, the forward
 * product's median time next to the same backend's dense product with the expanded matrix.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Times block-circulant vs dense products, one row per backend, then a line",
      "'best speedup over dense: X×'."
    })
public final class CirculantBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--n", defaultValue = "4096", description = "Matrix size n x n.")
  int n;

  @Option(names = "--k", defaultValue = "64", description = "Block size k.")
  int k;

  @Option(names = "--batch", defaultValue = "1", description = "Input rows per product.")
  int batch;

  @Option(
      names = "--backend",
      split = ",",
      description = "Only these backends, comma-separated (default: every registered one).")
  List<String> backend;

  @Option(
      names = "--bandwidth",
      description =
          "Also measure the machine's memory read bandwidth (HardwareProbe) and print each dense"
              + " product's weight-read rate as a share of it.")
  boolean bandwidth;

  @Option(names = "--threads", description = "Threads per backend (default: all cores).")
  Integer threads;

  @Option(
      names = "--seconds",
      defaultValue = "1.0",
      description = "Time each product at least this long (default: ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--csv", description = "Also append the rows to this CSV file.")
  Path csv;

  @Option(names = "--seed", defaultValue = "1", description = "Seed for weights and input.")
  long seed;

  @Override
  public Integer call() {
    if (n < 1 || k < 1 || k > n || batch < 1) {
      throw new IllegalArgumentException(
          "need n >= 1, 1 <= k <= n and batch >= 1; got n=" + n + ", k=" + k + ", batch=" + batch);
    }
    if (seconds < 0) {
      throw new IllegalArgumentException("--seconds must be >= 0: " + seconds);
    }
    List<CirculantBackend> backends =
        backend == null
            ? CirculantBackends.all()
            : backend.stream().map(CirculantBackends::byName).toList();
    KernelOptions options = threads == null ? KernelOptions.defaults() : new KernelOptions(threads);
    BlockCirculantMatrix w = BlockCirculantMatrix.random(n, n, k, 1.0 / Math.sqrt(n), seed);
    CirculantBench.Settings settings = new CirculantBench.Settings(batch, 5, 5, seconds, seed + 1);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        Locale.ROOT,
        "n=%d k=%d batch=%d threads=%d: weights %d bytes block-circulant vs %d dense (%.0fx"
            + " smaller)%n",
        n,
        k,
        batch,
        options.threads(),
        w.storedBytes(),
        w.denseBytes(),
        (double) w.denseBytes() / w.storedBytes());
    out.printf(
        Locale.ROOT,
        "%-12s %14s %14s %9s %16s%n",
        "backend",
        "circulant_ms",
        "dense_ms",
        "speedup",
        "dense_GB/s");
    List<CirculantBench.Row> rows = new ArrayList<>();
    for (CirculantBackend b : backends) {
      CirculantBench.Row r = CirculantBench.run(b, w, options, settings);
      rows.add(r);
      out.printf(
          Locale.ROOT,
          "%-12s %14.4f %14.4f %8.2fx %16.2f%n",
          r.backend(),
          r.circulantSeconds() * 1e3,
          r.denseSeconds() * 1e3,
          r.speedup(),
          r.denseBytesPerSecond() / 1e9);
      out.flush();
    }
    if (csv != null) {
      appendCsv(rows, options.threads());
    }
    if (bandwidth) {
      double limit;
      try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
        limit = HardwareProbe.readBytesPerSecond(manager);
      }
      out.printf(Locale.ROOT, "memory read bandwidth (HardwareProbe): %.2f GB/s%n", limit / 1e9);
      for (CirculantBench.Row r : rows) {
        out.printf(
            Locale.ROOT,
            "%s dense reads weights at %.2f GB/s = %.0f%% of the bandwidth limit%n",
            r.backend(),
            r.denseBytesPerSecond() / 1e9,
            100 * r.denseBytesPerSecond() / limit);
      }
    }
    double best = rows.stream().mapToDouble(CirculantBench.Row::speedup).max().orElseThrow();
    out.printf(Locale.ROOT, "best speedup over dense: %.2f×%n", best);
    return 0;
  }

  private void appendCsv(List<CirculantBench.Row> rows, int threadCount) {
    try {
      boolean fresh = !Files.exists(csv) || Files.size(csv) == 0;
      StringBuilder sb = new StringBuilder();
      if (fresh) {
        sb.append(
            "backend,n,k,batch,threads,circulant_s,dense_s,speedup,stored_bytes,dense_bytes,"
                + "dense_bytes_per_s\n");
      }
      for (CirculantBench.Row r : rows) {
        sb.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%d,%d,%d,%.9f,%.9f,%.4f,%d,%d,%.0f%n",
                r.backend(),
                n,
                k,
                batch,
                threadCount,
                r.circulantSeconds(),
                r.denseSeconds(),
                r.speedup(),
                r.storedBytes(),
                r.denseBytes(),
                r.denseBytesPerSecond()));
      }
      Files.writeString(
          csv,
          sb.toString(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + csv + ": " + e.getMessage(), e);
    }
  }
}
