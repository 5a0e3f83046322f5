package dev.weft.accel.circulant.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.model.CirculantFfn;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.RandomWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * End-to-end self-distillation on a tiny random Llama: fine-tuning the block vectors (with the rest
 * of the model) after the projection must fit the dense teacher better than the projection alone,
 * and the result must be a checkpoint whose feed-forward matrices are stored as block vectors.
 */
class LlamaFfnCompressorTest {

  static final LlamaConfig CONFIG =
      new LlamaConfig(
          32, 40, 2, 4, 2, 64, 16, 10000, 1e-5, true, LlamaConfig.RopeStyle.INTERLEAVED);

  /**
   * RandomWeights' std 0.02 gives near-uniform next-token distributions; scaled up (embedding std
   * ~0.3, feed-forward ~0.2) the outputs are peaked and the feed-forward matters, as in a trained
   * model.
   */
  static LlamaWeights peaked(LlamaWeights w) {
    List<LlamaWeights.Layer> layers = new ArrayList<>();
    for (LlamaWeights.Layer l : w.layers()) {
      layers.add(
          new LlamaWeights.Layer(
              l.rmsAtt(),
              l.wq(),
              l.wk(),
              l.wv(),
              l.wo(),
              l.rmsFfn(),
              scaled(l.w1(), 10),
              scaled(l.w2(), 10),
              scaled(l.w3(), 10)));
    }
    float[] embedding = scaled(w.tokenEmbedding(), 15);
    return new LlamaWeights(w.config(), embedding, layers, w.rmsFinal(), embedding);
  }

  static float[] scaled(float[] a, float by) {
    float[] out = a.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= by;
    }
    return out;
  }

  @Test
  void fineTuningBeatsProjectionOnTheDistillationText() {
    LlamaWeights dense = peaked(RandomWeights.generate(CONFIG, 11));
    int k = 8; // hidden 40 is a multiple, dim 32 too; padding is covered by BlockGradientTest
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      List<int[]> train;
      try (LlamaModel teacher = new LlamaModel(manager, dense)) {
        train = LlamaFfnCompressor.sample(teacher, 4, 12, new Random(3));
      }
      List<String> log = new ArrayList<>();
      EndToEndDistillation.Settings s =
          new EndToEndDistillation.Settings(k, 2, 16, 2, 1e-2, 1e-3, 1.3, 1, 4);
      LlamaWeights trained = new EndToEndDistillation(s, log::add).run(manager, dense, train);
      LlamaWeights compressed =
          LlamaFfnCompressor.withFfn(trained, LlamaFfnCompressor.projectedFfn(trained, k));
      LlamaWeights projected =
          LlamaFfnCompressor.withFfn(dense, LlamaFfnCompressor.projectedFfn(dense, k));

      CirculantFfn ffn = compressed.circulantFfn();
      assertThat(ffn.blockSize()).isEqualTo(k);
      assertThat(ffn.w1().get(0)).hasSize((int) CirculantFfn.storedValues(40, 32, k));
      assertThat(ffn.w2().get(1)).hasSize((int) CirculantFfn.storedValues(32, 40, k));
      assertThat(log).anyMatch(l -> l.startsWith("projection after 2 ADMM steps"));

      double teacherLoss = LlamaFfnCompressor.heldOutLoss(manager, dense, train);
      double projectedLoss = LlamaFfnCompressor.heldOutLoss(manager, projected, train);
      double compressedLoss = LlamaFfnCompressor.heldOutLoss(manager, compressed, train);
      assertThat(compressedLoss - teacherLoss)
          .as(
              "loss above the teacher: projection %.4f, fine-tuned %.4f",
              projectedLoss, compressedLoss)
          .isLessThan(0.5 * (projectedLoss - teacherLoss));
    }
  }
}
