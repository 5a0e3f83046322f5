package dev.weft.accel.circulant;

import static dev.weft.accel.circulant.CirculantTesting.random;
import static dev.weft.accel.circulant.CirculantTesting.relativeError;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.weft.accel.circulant.nn.BlockCirculantLinear;
import org.junit.jupiter.api.Test;

/**
 * The trainable DJL layer, exported to ONNX with its own block vectors, gives the same outputs in
 * ORT.
 */
class OnnxLayerAgreementTest {

  @Test
  void djlLayerAndItsOnnxExportAgree() throws Exception {
    // Padding on both sides: 50 inputs, 37 outputs, k = 8.
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Engine.getInstance().setRandomSeed(41);
      BlockCirculantLinear layer = new BlockCirculantLinear(50, 37, 8, true, true);
      layer.initialize(manager, DataType.FLOAT32, new Shape(4, 50));
      float[] bias = random(37, 42);
      layer.getParameters().get("bias").getArray().set(bias);
      float[] blocks = layer.blocks().getArray().toFloatArray();
      float[] x = random(4 * 50, 43);
      float[] djl =
          layer
              .forward(
                  new ParameterStore(manager, false),
                  new NDList(manager.create(x, new Shape(4, 50))),
                  false)
              .head()
              .toFloatArray();
      BlockCirculantMatrix w =
          new BlockCirculantMatrix(37, 50, 8, blocks, BlockCirculantMatrix.Padding.ZERO);
      try (OnnxSession session = new OnnxSession(CirculantOnnx.linear(w, bias), 1)) {
        assertThat(relativeError(session.run("input", x, 4, 50), djl)).isLessThanOrEqualTo(1e-5);
      }
    }
  }
}
