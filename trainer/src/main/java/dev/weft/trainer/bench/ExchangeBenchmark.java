package dev.weft.trainer.bench;

import com.google.gson.Gson;
import dev.weft.trainer.grpc.GrpcPeerNetwork;
import dev.weft.trainer.launch.FreePorts;
import dev.weft.trainer.launch.LaunchException;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The tensor-exchange benchmark: ring All-Reduce bus bandwidth over the gRPC peer service across N
 * worker JVMs on loopback, against raw loopback TCP moving the same bytes in the same ring, in the
 * same run. Writes {@code exchange.csv} (every repetition) and {@code exchange.md}.
 */
public final class ExchangeBenchmark {

  private ExchangeBenchmark() {}

  /** Median bus bandwidths per size, keyed by mode. */
  public record Summary(TreeMap<Long, double[]> medians, Path markdown) {}

  public static Summary run(
      int workers,
      List<Long> sizesBytes,
      int reps,
      double warmupSeconds,
      int chunkElements,
      List<String> jvmOptions,
      Path outDir,
      String classpath,
      String command)
      throws IOException, InterruptedException {
    Files.createDirectories(outDir);
    List<String> rows = new ArrayList<>();
    for (String mode : List.of("grpc", "tcp")) {
      rows.addAll(
          runMode(
              workers,
              new BenchConfig(
                  mode,
                  "bench-" + mode,
                  0,
                  Arrays.stream(FreePorts.pick(workers)).boxed().toList(),
                  sizesBytes,
                  reps,
                  warmupSeconds,
                  chunkElements,
                  outDir.resolve("raw-" + mode + ".csv").toString()),
              jvmOptions,
              outDir,
              classpath));
    }
    Path csv = outDir.resolve("exchange.csv");
    List<String> lines = new ArrayList<>();
    lines.add("mode,size_bytes,rep,seconds,bus_gbps,cpu_s");
    lines.addAll(rows);
    Files.write(csv, lines, StandardCharsets.UTF_8);
    TreeMap<Long, double[]> med = new TreeMap<>();
    for (long size : sizesBytes) {
      med.put(
          size,
          new double[] {
            median(rows, "grpc-allreduce", size),
            median(rows, "tcp-ring", size),
            cold(rows, "grpc-allreduce", size),
            warmupRuns(rows, "grpc-allreduce", size),
            medianCpu(rows, "grpc-allreduce", size),
            medianCpu(rows, "tcp-ring", size)
          });
    }
    StringBuilder md = new StringBuilder();
    md.append("# Tensor exchange: ring All-Reduce over gRPC vs raw loopback TCP\n\n");
    md.append("Command: `").append(command).append("`  \n");
    md.append("Machine: ").append(machine()).append("  \n");
    md.append("Date: ").append(LocalDate.now()).append("  \n");
    md.append(workers)
        .append(" worker JVMs on 127.0.0.1, ")
        .append(reps)
        .append(" timed repetitions per size (medians) after ")
        .append(warmupSeconds)
        .append(
            " s of untimed all-reduces of that size on rank 0 (JIT warm-up; the first, cold one")
        .append(" is reported separately); all-reduce chunks of ")
        .append(chunkElements / 256)
        .append(" KiB; worker JVM options ")
        .append(jvmOptions)
        .append(". Bus bandwidth = size x 2(N-1)/N / time,")
        .append(
            " the bytes each link carries per second. Raw TCP moves exactly those bytes per link")
        .append(" over plain sockets in the same ring, all links at once, after the same warm-up.")
        .append(
            " CPU per run: rank 0's process CPU time (all its threads) over the timed runs and"
                + " the barriers before them, divided by the runs.\n\n");
    md.append(
        "| size | gRPC all-reduce bus bw (GB/s) | raw TCP ring per-link (GB/s) | ratio"
            + " | gRPC cold (first) all-reduce (GB/s) | gRPC warm-up all-reduces"
            + " | CPU per run, gRPC / raw TCP (ms) |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
    for (var e : med.entrySet()) {
      double[] v = e.getValue();
      md.append(
          String.format(
              Locale.ROOT,
              "| %d MB | %.3f | %.3f | %.0f%% | %.3f | %.0f | %.1f / %.1f |%n",
              e.getKey() / 1_000_000,
              v[0],
              v[1],
              100 * v[0] / v[1],
              v[2],
              v[3],
              1e3 * v[4],
              1e3 * v[5]));
    }
    Path mdFile = outDir.resolve("exchange.md");
    Files.writeString(mdFile, md.toString(), StandardCharsets.UTF_8);
    return new Summary(med, mdFile);
  }

  /** Runs {@code workers} processes of {@code base} (rank 0's config) and returns rank 0's rows. */
  private static List<String> runMode(
      int workers, BenchConfig base, List<String> jvmOptions, Path outDir, String classpath)
      throws IOException, InterruptedException {
    String mode = base.mode();
    Path rank0Csv = Path.of(base.outCsv());
    List<Process> procs = new ArrayList<>();
    try {
      for (int r = 0; r < workers; r++) {
        BenchConfig c =
            new BenchConfig(
                mode,
                base.runId(),
                r,
                base.ports(),
                base.sizesBytes(),
                base.reps(),
                base.warmupSeconds(),
                base.chunkElements(),
                base.outCsv());
        Path json = outDir.resolve("bench-" + mode + "-" + r + ".json");
        Files.writeString(json, new Gson().toJson(c), StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(GrpcPeerNetwork.NO_LEAK_SAMPLING);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, BenchWorkerMain.class.getName(), json.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(outDir.resolve("bench-" + mode + "-" + r + ".log").toFile());
        procs.add(pb.start());
      }
      for (int r = 0; r < workers; r++) {
        Process p = procs.get(r);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          throw new LaunchException(
              "benchmark rank " + r + " (" + mode + ") did not finish in 10 minutes");
        }
        if (p.exitValue() != 0) {
          throw new LaunchException(
              "benchmark rank "
                  + r
                  + " ("
                  + mode
                  + ") failed; see "
                  + outDir.resolve("bench-" + mode + "-" + r + ".log"));
        }
      }
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
    List<String> rows = Files.readAllLines(rank0Csv, StandardCharsets.UTF_8);
    Files.delete(rank0Csv);
    for (int r = 0; r < workers; r++) {
      Files.deleteIfExists(outDir.resolve("bench-" + mode + "-" + r + ".json"));
    }
    return rows;
  }

  /**
   * Column {@code col} of the rows of {@code mode} and {@code size} whose rep passes {@code rep}.
   */
  private static double[] column(
      List<String> rows, String mode, long size, java.util.function.IntPredicate rep, int col) {
    return rows.stream()
        .map(l -> l.split(","))
        .filter(
            f ->
                f[0].equals(mode)
                    && Long.parseLong(f[1]) == size
                    && rep.test(Integer.parseInt(f[2])))
        .mapToDouble(f -> Double.parseDouble(f[col]))
        .toArray();
  }

  private static double cold(List<String> rows, String mode, long size) {
    double[] v = column(rows, mode, size, r -> r < 0, 4);
    return v.length == 0 ? Double.NaN : v[0];
  }

  private static double warmupRuns(List<String> rows, String mode, long size) {
    double[] v = column(rows, mode + "-warmup", size, r -> true, 2);
    return v.length == 0 ? Double.NaN : v[0];
  }

  private static double median(List<String> rows, String mode, long size) {
    return middle(column(rows, mode, size, r -> r >= 0, 4));
  }

  private static double medianCpu(List<String> rows, String mode, long size) {
    return middle(column(rows, mode, size, r -> r >= 0, 5));
  }

  private static double middle(double[] values) {
    double[] v = Arrays.stream(values).sorted().toArray();
    return v.length == 0 ? Double.NaN : v[v.length / 2];
  }

  public static String machine() {
    String cpu = "unknown CPU";
    long memKb = 0;
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          memKb = Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // not Linux: keep the generic name
    }
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return String.format(
        Locale.ROOT,
        "%s, %d cores, %d GiB RAM, Java %s, host %s",
        cpu,
        Runtime.getRuntime().availableProcessors(),
        memKb >> 20,
        System.getProperty("java.version"),
        host);
  }
}
