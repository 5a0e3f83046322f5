package dev.weft.accel.circulant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.accel.circulant.BlockCirculantMatrix.Padding;
import org.junit.jupiter.api.Test;

class BlockCirculantMatrixTest {

  @Test
  void denseExpansionUsesTheFirstColumn() {
    // One 3x3 block with w = (1, 2, 3): columns are w rotated down, W[r][c] = w[(r - c) mod 3].
    BlockCirculantMatrix w = new BlockCirculantMatrix(3, 3, 3, new float[] {1, 2, 3}, Padding.NONE);
    assertThat(w.toDense()).containsExactly(1, 3, 2, 2, 1, 3, 3, 2, 1);
  }

  @Test
  void blockTimesVectorIsCircularConvolution() {
    // The identity the convention exists for: W·x = IFFT(FFT(w) ∘ FFT(x)) = w ⊛ x (circular).
    int k = 5;
    BlockCirculantMatrix w = BlockCirculantMatrix.random(k, k, k, 1.0, 3);
    float[] x = {0.5f, -1f, 2f, 0.25f, 3f};
    float[] dense = w.toDense();
    for (int r = 0; r < k; r++) {
      double conv = 0;
      double prod = 0;
      for (int c = 0; c < k; c++) {
        conv += w.entry(0, 0, Math.floorMod(r - c, k)) * x[c];
        prod += dense[r * k + c] * x[c];
      }
      assertThat(prod).isCloseTo(conv, within(1e-6));
    }
  }

  @Test
  void paddedMatrixIsTheTopLeftCorner() {
    BlockCirculantMatrix w = BlockCirculantMatrix.random(5, 7, 4, 1.0, 11);
    assertThat(w.blockRows()).isEqualTo(2);
    assertThat(w.blockCols()).isEqualTo(2);
    float[] dense = w.toDense();
    assertThat(dense).hasSize(35);
    // Row 4 (block row 1, r = 0), column 6 (block col 1, c = 2): w_11[(0 - 2) mod 4] = w_11[2].
    assertThat(dense[4 * 7 + 6]).isEqualTo(w.entry(1, 1, 2));
  }

  @Test
  void transposeMatchesDenseTranspose() {
    BlockCirculantMatrix w = BlockCirculantMatrix.random(6, 10, 4, 1.0, 5);
    float[] d = w.toDense();
    float[] t = w.transpose().toDense();
    for (int r = 0; r < 6; r++) {
      for (int c = 0; c < 10; c++) {
        assertThat(t[c * 6 + r]).isEqualTo(d[r * 10 + c]);
      }
    }
  }

  @Test
  void projectionOfABlockCirculantMatrixIsItself() {
    BlockCirculantMatrix w = BlockCirculantMatrix.random(8, 12, 4, 1.0, 9);
    BlockCirculantMatrix back = BlockCirculantMatrix.project(w.toDense(), 8, 12, 4, Padding.NONE);
    float[] a = w.blocks();
    float[] b = back.blocks();
    for (int i = 0; i < a.length; i++) {
      assertThat(b[i]).isCloseTo(a[i], within(1e-6f));
    }
  }

  @Test
  void storageShrinksByK() {
    BlockCirculantMatrix w = BlockCirculantMatrix.random(4096, 4096, 64, 1.0, 1);
    assertThat(w.denseBytes() / w.storedBytes()).isEqualTo(64);
  }

  @Test
  void kThatDoesNotDivideWithPaddingOffIsRejected() {
    assertThatThrownBy(() -> BlockCirculantMatrix.checkShape(10, 12, 4, Padding.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k=4 does not divide rows m=10");
    assertThatThrownBy(() -> BlockCirculantMatrix.checkShape(12, 10, 4, Padding.NONE))
        .hasMessageContaining("does not divide cols n=10");
    assertThatThrownBy(() -> BlockCirculantMatrix.checkShape(4, 4, 0, Padding.ZERO))
        .hasMessageContaining("block size k must be >= 1");
  }

  @Test
  void wrongNumberOfBlockEntriesIsRejected() {
    assertThatThrownBy(() -> new BlockCirculantMatrix(8, 8, 4, new float[15], Padding.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must hold p*q*k = 2*2*4 = 16 floats, got 15");
  }
}
