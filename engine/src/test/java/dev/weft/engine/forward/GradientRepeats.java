package dev.weft.engine.forward;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.LoadedModel;
import dev.weft.engine.model.ModelSearchPath;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Child-JVM half of {@link TrainableLlamaGcTest}: computes the next-token loss gradient of the same
 * stories260K weights on the same batch several times and prints one line per repeat: {@code
 * GRADIENT <crc of every gradient value's bits> <loss bits>}. Run with a tiny young generation, so
 * that garbage collections (and the native frees they trigger) fall between forward and backward.
 */
public final class GradientRepeats {

  private GradientRepeats() {}

  public static void main(String[] args) {
    Path models = Path.of(args[0]);
    int repeats = Integer.parseInt(args[1]);
    LlamaWeights weights =
        LoadedModel.load(new ModelSearchPath(List.of(models)).resolve("stories260K")).weights();
    int windows = 4;
    int length = 32;
    int[] tokens = TrainableLlamaTest.randomTokens(windows * length + 1, 11);
    int[] inputs = java.util.Arrays.copyOf(tokens, windows * length);
    int[] targets = java.util.Arrays.copyOfRange(tokens, 1, windows * length + 1);
    Loss loss = Loss.softmaxCrossEntropyLoss();
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        TrainableLlama llama = new TrainableLlama(manager, weights)) {
      List<NDArray> params = llama.parameters();
      params.forEach(p -> p.setRequiresGradient(true));
      for (int r = 0; r < repeats; r++) {
        try (NDManager step = manager.newSubManager();
            GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          Gradients.zero(params);
          NDArray logits = llama.logits(step, inputs, windows, length);
          NDArray labels = step.create(targets).toType(DataType.FLOAT32, false);
          NDArray l = loss.evaluate(new NDList(labels), new NDList(logits));
          gc.backward(l);
          CRC32 crc = new CRC32();
          for (NDArray p : params) {
            try (NDArray g = p.getGradient()) {
              for (float v : g.toFloatArray()) {
                int bits = Float.floatToRawIntBits(v);
                crc.update(bits);
                crc.update(bits >>> 8);
                crc.update(bits >>> 16);
                crc.update(bits >>> 24);
              }
            }
          }
          System.out.println("GRADIENT " + Long.toHexString(crc.getValue()) + " " + l.getFloat());
        }
      }
    }
  }
}
