package dev.weft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Configuration is refused at construction, with a message that says what to change. */
class ConfigValidationTest {

  @Test
  void schedulerLimitsMustBePositive() {
    assertThatThrownBy(() -> SchedulerConfig.of(0, 8, 64, 8))
        .hasMessage("max sequences per batch is 0, must be >= 1");
    assertThatThrownBy(() -> SchedulerConfig.of(1, 8, 64, 0))
        .hasMessage("waiting queue capacity is 0, must be >= 1");
  }

  @Test
  void withoutChunkedPrefillTheBudgetMustHoldALongestPrompt() {
    assertThatThrownBy(() -> SchedulerConfig.of(4, 16, 64, 8).withChunkedPrefill(false))
        .hasMessageContaining("max batched tokens (16) is below max model length (64)")
        .hasMessageContaining("enable chunked prefill");
  }

  @Test
  void cacheSettingsAreChecked() {
    assertThatThrownBy(() -> CacheConfig.of(0, 8)).hasMessage("block size is 0, must be >= 1");
    assertThatThrownBy(() -> CacheConfig.of(4, 0)).hasMessageContaining("memory budget");
    assertThatThrownBy(() -> CacheConfig.of(4, 8).withWatermark(1))
        .hasMessage("watermark is 1.0, must be in [0, 1)");
  }

  @Test
  void swapNeedsAHostStore() {
    SchedulerConfig swap = SchedulerConfig.of(4, 16, 64, 8).withPreemption(PreemptionMode.SWAP);
    assertThatThrownBy(() -> new ServingConfig(swap, CacheConfig.of(4, 8)))
        .hasMessageContaining("needs a host store");
  }

  @Test
  void thePoolIsSizedFromAMemoryBudgetAndTheModelsShape() {
    KvShape shape = new KvShape(32, 8, 128, 2); // Llama-3-8B-like, fp16: 128 KiB per token
    assertThat(shape.bytesPerToken()).isEqualTo(131_072);
    assertThat(CacheConfig.blocksFor(8L << 30, shape, 16)).isEqualTo(4096);
    assertThatThrownBy(() -> new KvShape(0, 8, 128, 2)).hasMessageContaining("layers is 0");
  }

  @Test
  void swapCostIsLatencyPlusBytesOverBandwidth() {
    SwapCostModel pcie = new SwapCostModel(2 << 20, 25e9, 10_000); // 2 MiB blocks at 25 GB/s
    assertThat(pcie.nanosFor(0)).isZero();
    assertThat(pcie.nanosFor(10)).isEqualTo(10_000 + 838_861);
    assertThatThrownBy(() -> new SwapCostModel(1, 0, 0)).hasMessageContaining("bandwidth");
  }
}
