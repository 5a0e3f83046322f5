package dev.weft.accel.circulant.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import dev.weft.accel.circulant.nn.CirculantModels;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmmTest {

  private static Block initialized(NDManager manager, int k) {
    Block b = CirculantModels.mlp(32, 16, 4, k);
    b.initialize(manager, DataType.FLOAT32, new Shape(2, 32));
    return b;
  }

  /** The penalty's intermediates die with the step's manager, not with the model's. */
  @Test
  void penaltyLeavesNothingInTheModelsManager() {
    try (NDManager model = NDManager.newBaseManager()) {
      Block dense = initialized(model, 0);
      Block circulant = initialized(model, 4);
      List<Compression.Pair> pairs = Compression.pairs(dense, circulant);
      try (Admm admm = new Admm(model, pairs, 0.05, 1.3)) {
        int before = model.getManagedArrays().size();
        double first = Double.NaN;
        for (int i = 0; i < 5; i++) {
          try (NDManager step = model.newSubManager();
              GradientCollector gc = model.getEngine().newGradientCollector()) {
            NDArray p = admm.penalty(step);
            gc.backward(p);
            double value = p.toType(DataType.FLOAT64, false).getDouble();
            first = i == 0 ? value : first;
            assertThat(value).isEqualTo(first).isPositive();
          }
        }
        assertThat(model.getManagedArrays().size()).isEqualTo(before);
      }
    }
  }
}
