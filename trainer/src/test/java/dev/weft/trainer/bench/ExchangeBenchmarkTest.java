package dev.weft.trainer.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExchangeBenchmarkTest {

  @Test
  void bothTransportsReportTimeBandwidthAndCpuForEveryTimedRun(@TempDir Path out) throws Exception {
    ExchangeBenchmark.Summary s =
        ExchangeBenchmark.run(
            2,
            List.of(400_000L),
            2,
            0,
            1 << 14,
            List.of("-Xmx256m"),
            out,
            System.getProperty("java.class.path"),
            "test");
    List<String> rows = Files.readAllLines(out.resolve("exchange.csv"));
    assertThat(rows.get(0)).isEqualTo("mode,size_bytes,rep,seconds,bus_gbps,cpu_s");
    for (String mode : List.of("grpc-allreduce", "tcp-ring")) {
      List<String[]> timed =
          rows.stream()
              .map(l -> l.split(","))
              .filter(f -> f[0].equals(mode) && Integer.parseInt(f[2]) >= 0)
              .toList();
      assertThat(timed).as(mode).hasSize(2);
      for (String[] f : timed) {
        assertThat(Double.parseDouble(f[3])).as(mode + " seconds").isPositive();
        assertThat(Double.parseDouble(f[4])).as(mode + " bus bandwidth").isPositive();
        // Rank 0's process moved 400 KB each way: it used some CPU, and less than 10 s of it.
        assertThat(Double.parseDouble(f[5])).as(mode + " cpu").isPositive().isLessThan(10);
      }
    }
    double[] med = s.medians().get(400_000L);
    assertThat(med[4]).as("gRPC CPU per run").isPositive();
    assertThat(med[5]).as("raw TCP CPU per run").isPositive();
    assertThat(Files.readString(s.markdown())).contains("CPU per run, gRPC / raw TCP (ms)");
  }
}
