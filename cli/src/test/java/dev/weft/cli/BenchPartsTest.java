package dev.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.scheduler.StepRecord;
import dev.weft.scheduler.kv.KvCacheStats;
import org.junit.jupiter.api.Test;

/** The pieces of bench serve and serve that compute numbers: cost fit, workloads, sizes, scrape. */
class BenchPartsTest {

  private static StepRecord step(int prefillTokens, int decodes, long runNanos) {
    int prefillSeqs = prefillTokens > 0 ? 1 : 0;
    return new StepRecord(
        0,
        0,
        0,
        runNanos,
        0,
        prefillSeqs + decodes,
        prefillSeqs,
        decodes,
        prefillTokens,
        decodes,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1,
        false);
  }

  private static final KvCacheStats KV = new KvCacheStats(16, 100, 10, 0, 8, 0, 0, 0, 0, 0);

  @Test
  void theCostFitRecoversKnownStepCostsAndTheIdealFollows() {
    StepStats stats = new StepStats();
    // decode step: 2 ms + 0.5 ms per sequence; prefill: 0.1 ms per token.
    for (int b = 1; b <= 32; b++) {
      stats.add(step(0, b, 2_000_000 + 500_000L * b), KV);
    }
    stats.add(step(100, 4, 2_000_000 + 500_000L * 4 + 10_000_000), KV);
    stats.add(step(300, 0, 2_000_000 + 30_000_000), KV);
    double[] fit = stats.fit();
    assertThat(fit[0]).isCloseTo(0.002, within(1e-9));
    assertThat(fit[2]).isCloseTo(0.0005, within(1e-9));
    assertThat(fit[1]).isCloseTo(0.0001, within(2e-6));
    assertThat(stats.kvWaste()).isCloseTo(8.0 / 160, within(1e-12));

    BenchWorkload one = BenchWorkload.synthetic(10, 100, Double.POSITIVE_INFINITY, 1, 0, 1000, 1);
    // 10 prefill tokens + 100 tokens each costing a full batch's share: 2/32 + 0.5 ms.
    double seconds = 10 * fit[1] + 100 * (0.002 / 32 + 0.0005);
    assertThat(stats.idealThroughput(one, 32)).isCloseTo(100 / seconds, within(1.0));
  }

  @Test
  void aNoisyFitWithNegativeCostsIsReportedAsUnknown() {
    StepStats stats = new StepStats();
    stats.add(step(0, 1, 9_000_000), KV);
    stats.add(step(0, 30, 1_000_000), KV);
    assertThat(stats.fit()[0]).isNaN();
  }

  @Test
  void syntheticWorkloadsAreSeededAndShareTheirPrefix() {
    BenchWorkload a = BenchWorkload.synthetic(32, 8, 4, 50, 24, 32000, 7);
    BenchWorkload b = BenchWorkload.synthetic(32, 8, 4, 50, 24, 32000, 7);
    assertThat(a.items.get(49).arrivalNanos()).isEqualTo(b.items.get(49).arrivalNanos());
    for (BenchWorkload.Item item : a.items) {
      assertThat(java.util.Arrays.copyOf(item.prompt(), 24))
          .isEqualTo(java.util.Arrays.copyOf(a.items.get(0).prompt(), 24));
      assertThat(java.util.Arrays.stream(item.prompt()).allMatch(t -> t >= 3 && t < 32000))
          .isTrue();
    }
    assertThat(a.items.get(1).prompt()[24]).isNotEqualTo(a.items.get(2).prompt()[24]);
    // 50 Poisson arrivals at 4/s span about 12 s.
    assertThat(a.items.get(49).arrivalNanos() / 1e9).isBetween(6.0, 20.0);
  }

  @Test
  void sizesParseWithBinaryUnitsAndBadOnesSaySo() {
    assertThat(ByteSize.parse("256MiB")).isEqualTo(256L << 20);
    assertThat(ByteSize.parse("2g")).isEqualTo(2L << 30);
    assertThat(ByteSize.parse("1048576")).isEqualTo(1L << 20);
    assertThatThrownBy(() -> ByteSize.parse("lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid size 'lots'");
  }

  @Test
  void scrapedMetricsSumLabelledSeriesAndGiveHistogramMeans() {
    MetricsText m =
        MetricsText.parse(
            "# HELP x\nweft_requests_rejected_total{reason=\"queue_full\"} 3\n"
                + "weft_requests_rejected_total{reason=\"never_fits\"} 2\n"
                + "weft_batch_size_sum 12.0\nweft_batch_size_count 4\n");
    assertThat(m.get("weft_requests_rejected_total")).isEqualTo(5);
    assertThat(m.withLabel("weft_requests_rejected_total", "queue_full")).isEqualTo(3);
    assertThat(m.mean("weft_batch_size")).isEqualTo(3);
  }
}
