package dev.weft.accel.circulant;

import static dev.weft.accel.circulant.CirculantTesting.OPTIONS;
import static dev.weft.accel.circulant.CirculantTesting.random;
import static dev.weft.accel.circulant.CirculantTesting.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported ONNX layer (with bias), loaded from a file by ORT, gives the reference's output. */
class OnnxExportTest {

  @TempDir Path dir;

  @Test
  void exportedLayerWithBiasMatchesTheReferenceInOrt() throws Exception {
    // Padding on both sides (m = 37, n = 50, k = 8) and a batch of 4.
    BlockCirculantMatrix w = BlockCirculantMatrix.random(37, 50, 8, 0.5, 21);
    float[] bias = random(37, 22);
    Path file = dir.resolve("layer.onnx");
    CirculantOnnx.writeLinear(w, bias, file);
    float[] x = random(4 * 50, 23);
    float[] expected = new ReferenceBackend().prepare(w, OPTIONS).forward(x, 4);
    for (int b = 0; b < 4; b++) {
      for (int r = 0; r < 37; r++) {
        expected[b * 37 + r] += bias[r];
      }
    }
    try (OnnxSession session = new OnnxSession(Files.readAllBytes(file), 1)) {
      assertThat(relativeError(session.run("input", x, 4, 50), expected)).isLessThan(1e-5);
    }
  }

  @Test
  void biasOfTheWrongLengthIsRejected() {
    BlockCirculantMatrix w = BlockCirculantMatrix.random(16, 16, 4, 1.0, 1);
    assertThatThrownBy(() -> CirculantOnnx.linear(w, new float[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bias has 15 floats but the layer has m = 16 outputs");
  }

  @Test
  void everyBackendIsRegistered() {
    assertThat(CirculantBackends.all().stream().map(CirculantBackend::name))
        .containsExactly("reference", "java", "pytorch", "onnxruntime");
  }
}
