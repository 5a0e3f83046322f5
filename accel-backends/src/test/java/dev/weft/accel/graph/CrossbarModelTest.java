package dev.weft.accel.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CrossbarModelTest {

  @Test
  void macTileCostsMatchTheFormula() {
    // One crossbar, one slice, round numbers: each MAC tile is 2×10 + 5 + 2×1 = 27 ns.
    CrossbarParams p = new CrossbarParams(2, 1, 1, 8, 8, 5, 10, 1, 100, 1, 2, 50);
    TileCounters c = new TileCounters();
    c.mac(3, 4);
    CrossbarModel.Estimate e = new CrossbarModel(p).estimate(c);
    assertThat(e.seconds()).isCloseTo(81e-9, within(1e-15));
    // writes 4 edges × 100 pJ, reads 3 tiles × 4 cells × 1 pJ, ADC 3 × 2 columns × 2 pJ.
    assertThat(e.joules()).isCloseTo((400 + 12 + 12) * 1e-12, within(1e-18));
    assertThat(e.speedupOver(81e-9)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void addOpPaysPerActiveRow() {
    CrossbarParams p = new CrossbarParams(2, 1, 1, 8, 8, 5, 10, 1, 100, 1, 2, 50);
    TileCounters c = new TileCounters();
    c.addOp(1, 2, 3);
    // Load 2×10, then 2 rows × (5 + 2×1).
    assertThat(new CrossbarModel(p).estimate(c).seconds()).isCloseTo(34e-9, within(1e-15));
  }

  @Test
  void parallelCrossbarsDivideTheTime() {
    CrossbarParams p = CrossbarParams.graphR();
    assertThat(p.slices()).isEqualTo(4);
    assertThat(p.parallelTiles()).isEqualTo(32 * 64 / 4);
    TileCounters c = new TileCounters();
    c.mac(512, 512);
    double oneRound = 8 * 50.88 + 29.31 + 8 * 0.78;
    assertThat(new CrossbarModel(p).estimate(c).seconds())
        .isCloseTo(Math.ceil(oneRound) * 1e-9, within(1e-12));
  }

  @Test
  void paramsAreValidated() {
    assertThatThrownBy(() -> new CrossbarParams(0, 1, 1, 4, 16, 1, 1, 1, 1, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new CrossbarParams(8, 1, 1, 4, 16, -1, 1, 1, 1, 1, 1, 1))
        .hasMessageContaining("finite");
  }
}
