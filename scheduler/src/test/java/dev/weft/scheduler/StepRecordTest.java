package dev.weft.scheduler;

import static dev.weft.scheduler.Prompts.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StepRecordTest {

  @Test
  void describesTheStepsShapeAndTimings() {
    LoopHarness h = LoopHarness.of(SchedulerConfig.of(4, 8, 64, 8), CacheConfig.of(4, 16));
    h.submit(request("decoding", 0, 3, 10));
    h.step();
    h.submit(request("prompt", 100, 12, 2));
    StepRecord record = h.step().record().orElseThrow();
    assertThat(record.step()).isEqualTo(1);
    assertThat(record.numSequences()).isEqualTo(2);
    assertThat(record.numDecodeSequences()).isEqualTo(1);
    assertThat(record.numDecodeTokens()).isEqualTo(1);
    assertThat(record.decodeContextTokens()).isEqualTo(4);
    assertThat(record.numPrefillSequences()).isEqualTo(1);
    assertThat(record.numPrefillTokens()).isEqualTo(7);
    assertThat(record.prefillAttentionWork()).isEqualTo(7 * 7);
    assertThat(record.maxContextLength()).isEqualTo(7);
    assertThat(record.numBatchedTokens()).isEqualTo(8);
    // The fake runner charges 1 ms + 10 us per token; scheduling takes no time on a fake clock.
    assertThat(record.runNanos()).isEqualTo(1_000_000 + 8 * 10_000);
    assertThat(record.scheduleNanos()).isZero();
    assertThat(record.startNanos()).isEqualTo(1_030_000);
    assertThat(record.numRunning()).isEqualTo(2);
    assertThat(record.usedBlocks()).isEqualTo(3);
    assertThat(record.runnerFailed()).isFalse();
  }

  @Test
  void roundTripsThroughCsv() {
    StepRecord record =
        new StepRecord(
            7, 100, 2, 3, 4, 5, 2, 3, 40, 3, 800, 90, 33, 1, 2, 5000, 1, 4, 6, 20, 64, true);
    String row = record.toCsvRow();
    assertThat(row.split(",")).hasSize(StepRecord.CSV_HEADER.split(",").length);
    assertThat(StepRecord.fromCsvRow(row)).isEqualTo(record);
  }

  @Test
  void rejectsRowsOfAnotherFormat() {
    assertThatThrownBy(() -> StepRecord.fromCsvRow("1,2,3"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 columns");
    String bad =
        "x"
            + new StepRecord(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, false)
                .toCsvRow();
    assertThatThrownBy(() -> StepRecord.fromCsvRow(bad)).hasMessageContaining("malformed number");
  }
}
