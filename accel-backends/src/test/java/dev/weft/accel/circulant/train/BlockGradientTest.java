package dev.weft.accel.circulant.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The block-vector gradient of a loss given its dense gradient G: L = ⟨G, expand(v)⟩ is linear in
 * v, so ∂L/∂v_i must equal ⟨G, expand(e_i)⟩ exactly, padded corners included.
 */
class BlockGradientTest {

  @Test
  void blockGradientIsTheChainRuleThroughExpand() {
    int m = 7;
    int n = 5;
    int k = 3;
    Random random = new Random(5);
    float[] g = new float[m * n];
    for (int i = 0; i < g.length; i++) {
      g[i] = (float) random.nextGaussian();
    }
    float[] grad = CirculantProjection.blockGradient(g, m, n, k);
    assertThat(grad).hasSize(3 * 2 * k);
    for (int i = 0; i < grad.length; i++) {
      float[] e = new float[grad.length];
      e[i] = 1;
      float[] dense = CirculantProjection.expand(e, m, n, k);
      double dot = 0;
      for (int j = 0; j < dense.length; j++) {
        dot += (double) g[j] * dense[j];
      }
      assertThat((double) grad[i]).as("entry " + i).isCloseTo(dot, within(1e-5));
    }
  }

  @Test
  void regionProjectionIsIdempotentAndRoundTrips() {
    // A gate region inside a fused [dim, 2·hidden] tensor, hidden not a multiple of k.
    FfnRegion region = new FfnRegion(0, 6, 14, 7, 7);
    float[] tensor = new float[6 * 14];
    Random random = new Random(2);
    for (int i = 0; i < tensor.length; i++) {
      tensor[i] = (float) random.nextGaussian();
    }
    float[] before = tensor.clone();
    float[] projected = region.project(region.extract(tensor), 4);
    assertThat(region.project(projected, 4)).containsExactly(projected, within(1e-6f));
    region.insert(tensor, projected);
    assertThat(region.extract(tensor)).containsExactly(projected);
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 7; c++) {
        assertThat(tensor[r * 14 + c]).isEqualTo(before[r * 14 + c]); // the up half is untouched
      }
    }
  }
}
