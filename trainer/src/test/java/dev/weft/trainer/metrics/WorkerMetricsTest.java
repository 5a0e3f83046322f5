package dev.weft.trainer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.trainer.launch.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerMetricsTest {

  @TempDir Path dir;

  @Test
  void prometheusEndpointServesTheWorkersCounters() throws Exception {
    int port = FreePorts.pick(1)[0];
    try (WorkerMetrics m = new WorkerMetrics(3, "adpsgd", port)) {
      m.record(new IterationRecord(3, 0, 0, 0.5, 2.25, 0.01, 0.02, 4096));
      m.record(new IterationRecord(3, 1, 0, 0.6, 1.75, 0.01, 0.02, 8192));
      String body =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body)
          .contains("weft_trainer_iterations_total{algo=\"adpsgd\",rank=\"3\"} 2.0")
          .contains("weft_trainer_loss{algo=\"adpsgd\",rank=\"3\"} 1.75")
          .contains("weft_trainer_sent_bytes{algo=\"adpsgd\",rank=\"3\"} 8192.0");
    }
  }

  @Test
  void csvRoundTripsMergesByTimeAndChartRenders() throws Exception {
    Path a = dir.resolve("a.csv");
    Path b = dir.resolve("b.csv");
    try (MetricsCsv csv = new MetricsCsv(a)) {
      csv.append(new IterationRecord(0, 0, 0, 0.1, 2.3, 0.01, 0.0, 10));
      csv.append(new IterationRecord(0, 1, 0, 0.3, 1.9, 0.01, 0.0, 20));
    }
    try (MetricsCsv csv = new MetricsCsv(b)) {
      csv.append(new IterationRecord(1, 0, 0, 0.2, 2.2, 0.01, 0.0, 10));
    }
    List<IterationRecord> all = MetricsCsv.merge(List.of(a, b), dir.resolve("all.csv"));
    assertThat(all).extracting(IterationRecord::rank).containsExactly(0, 1, 0);
    assertThat(MetricsCsv.read(dir.resolve("all.csv"))).isEqualTo(all);
    Path png = dir.resolve("loss.png");
    LossChart.write(all, "test", png);
    assertThat(ImageIO.read(Files.newInputStream(png)).getWidth()).isEqualTo(900);
  }
}
