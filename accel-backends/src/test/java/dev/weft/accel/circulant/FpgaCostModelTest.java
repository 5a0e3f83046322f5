package dev.weft.accel.circulant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The properties the E-RNN-style cost model must have, whatever its parameters' exact values. */
class FpgaCostModelTest {

  private final FpgaCostModel model = new FpgaCostModel(FpgaParams.eRnn());

  @Test
  void weightsAreStoredKTimesSmaller() {
    for (int k : new int[] {4, 16, 64}) {
      long dense = model.dense(1024, 2048, 1).weightBits();
      long circ = model.circulant(1024, 2048, k, 1).weightBits();
      assertThat(dense / circ).as("k=%d", k).isEqualTo(k);
      assertThat(dense % circ).isZero();
    }
  }

  @Test
  void arithmeticScalesAsNLogNWithOneBlock() {
    // k = n: one circulant block, O(n log n) work against the dense O(n²).
    int n = 4096;
    FpgaCostModel.Estimate small = model.circulant(n, n, n, 1);
    FpgaCostModel.Estimate big = model.circulant(2 * n, 2 * n, 2 * n, 1);
    double ops = (big.multiplies() + big.adds()) / (small.multiplies() + small.adds());
    double nLogN = 2.0 * Math.log(2.0 * n) / Math.log(n);
    assertThat(ops).isCloseTo(nLogN, within(0.02 * nLogN));
    double dense = model.dense(2 * n, 2 * n, 1).multiplies() / model.dense(n, n, 1).multiplies();
    assertThat(dense).isEqualTo(4.0);
  }

  @Test
  void circulantBeatsDenseInTimeAndEnergy() {
    FpgaCostModel.Estimate d = model.dense(1024, 1024, 1);
    FpgaCostModel.Estimate c = model.circulant(1024, 1024, 64, 1);
    assertThat(d.seconds() / c.seconds()).isGreaterThan(10);
    assertThat(d.joules() / c.joules()).isGreaterThan(10);
    // Larger blocks: fewer parameters and less work, until the FFTs dominate.
    assertThat(model.circulant(1024, 1024, 16, 1).multiplies()).isGreaterThan(c.multiplies());
  }

  @Test
  void largeDenseLayersStreamFromDramWhileTheirCirculantFormFitsOnChip() {
    FpgaCostModel.Estimate d = model.dense(4096, 4096, 1);
    FpgaCostModel.Estimate c = model.circulant(4096, 4096, 64, 1);
    assertThat(d.onChip()).isFalse();
    assertThat(c.onChip()).isTrue();
    // 4096² 16-bit weights at 19.2 GB/s: the DRAM bound, not the MAC arrays, sets dense latency.
    assertThat(d.seconds()).isCloseTo(4096.0 * 4096 * 2 / 19.2e9, within(1e-9));
  }

  @Test
  void moreProcessingElementsNeverSlowALayerDown() {
    double previous = Double.MAX_VALUE;
    for (int pe : new int[] {1, 2, 4, 8, 16, 32}) {
      FpgaCostModel m = new FpgaCostModel(FpgaParams.eRnn().withProcessingElements(pe));
      double cycles = m.circulant(512, 512, 32, 4).cycles();
      assertThat(cycles).isLessThanOrEqualTo(previous);
      previous = cycles;
    }
  }

  @Test
  void batchesReuseTheWeights() {
    FpgaCostModel.Estimate one = model.circulant(1024, 1024, 64, 1);
    FpgaCostModel.Estimate many = model.circulant(1024, 1024, 64, 8);
    assertThat(many.multiplies()).isEqualTo(8 * one.multiplies());
    assertThat(many.joules()).isLessThan(8 * one.joules());
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> model.circulant(96, 96, 12, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k must be a power of two, got 12");
    assertThatThrownBy(() -> model.circulant(64, 64, 8, 0)).hasMessageContaining("batch");
    assertThatThrownBy(() -> FpgaParams.eRnn().withProcessingElements(0))
        .hasMessageContaining("processingElements");
  }
}
