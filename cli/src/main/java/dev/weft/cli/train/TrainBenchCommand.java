package dev.weft.cli.train;

import dev.weft.trainer.bench.ExchangeBenchmark;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code weft train bench}: All-Reduce bus bandwidth over gRPC vs raw loopback TCP. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Tensor-exchange benchmark: ring All-Reduce over N JVMs vs raw loopback TCP.")
public final class TrainBenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--workers", defaultValue = "4")
  int workers;

  @Option(
      names = "--sizes-mb",
      split = ",",
      defaultValue = "1,10,100",
      description = "buffer sizes in MB (10^6 bytes)")
  List<Integer> sizesMb;

  @Option(names = "--reps", defaultValue = "5")
  int reps;

  @Option(
      names = "--warmup-s",
      defaultValue = "20",
      description =
          "seconds of untimed all-reduces per size before timing, so the JIT-compiled steady state"
              + " is measured (default ${DEFAULT-VALUE})")
  double warmupSeconds;

  @Option(
      names = "--chunk-kb",
      defaultValue = "256",
      description =
          "all-reduce chunk in KiB, the pipelining granularity (default ${DEFAULT-VALUE})")
  int chunkKb;

  @Option(
      names = "--jvm-opt",
      description = "option for every benchmark JVM (repeatable; default -Xmx2g)")
  List<String> jvmOptions = new java.util.ArrayList<>();

  @Option(names = "--out", required = true)
  Path out;

  @Override
  public Integer call() throws Exception {
    List<Long> sizes = sizesMb.stream().map(m -> m * 1_000_000L).toList();
    String command =
        String.format(
            Locale.ROOT,
            "./weft train bench --workers %d --sizes-mb %s --reps %d --warmup-s %s --chunk-kb %d%s"
                + " --out %s",
            workers,
            String.join(",", sizesMb.stream().map(String::valueOf).toList()),
            reps,
            warmupSeconds,
            chunkKb,
            jvmOptions.stream().map(o -> " --jvm-opt=" + o).reduce("", String::concat),
            out);
    ExchangeBenchmark.Summary s =
        ExchangeBenchmark.run(
            workers,
            sizes,
            reps,
            warmupSeconds,
            chunkKb * 256,
            jvmOptions.isEmpty() ? List.of("-Xmx2g") : jvmOptions,
            out,
            System.getProperty("java.class.path"),
            command);
    var o = spec.commandLine().getOut();
    o.print(java.nio.file.Files.readString(s.markdown()));
    o.flush();
    return 0;
  }
}
