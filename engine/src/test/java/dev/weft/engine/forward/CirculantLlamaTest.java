package dev.weft.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.llama2c.Llama2cCheckpoint;
import dev.weft.engine.llama2c.Llama2cCheckpointWriter;
import dev.weft.engine.model.CirculantFfn;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.RandomWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose feed-forward matrices are block-circulant gives the logits of the same model with
 * those matrices expanded to dense, and survives a round trip through the checkpoint extension.
 */
class CirculantLlamaTest {

  // hidden 22 is not a multiple of k = 4: the padding path runs too.
  static final LlamaConfig CONFIG =
      new LlamaConfig(
          16, 22, 2, 4, 2, 40, 32, 10000, 1e-5, true, LlamaConfig.RopeStyle.INTERLEAVED);

  static LlamaWeights circulant(LlamaWeights dense, int k, long seed) {
    Random random = new Random(seed);
    int d = CONFIG.dim();
    int h = CONFIG.hiddenDim();
    List<float[]> w1 = new ArrayList<>();
    List<float[]> w2 = new ArrayList<>();
    List<float[]> w3 = new ArrayList<>();
    List<LlamaWeights.Layer> layers = new ArrayList<>();
    float[] none = new float[0];
    for (LlamaWeights.Layer l : dense.layers()) {
      w1.add(BlockCirculantTest.gaussian(random, (int) CirculantFfn.storedValues(h, d, k)));
      w2.add(BlockCirculantTest.gaussian(random, (int) CirculantFfn.storedValues(d, h, k)));
      w3.add(BlockCirculantTest.gaussian(random, (int) CirculantFfn.storedValues(h, d, k)));
      layers.add(
          new LlamaWeights.Layer(
              l.rmsAtt(), l.wq(), l.wk(), l.wv(), l.wo(), l.rmsFfn(), none, none, none));
    }
    return new LlamaWeights(
        CONFIG,
        dense.tokenEmbedding(),
        layers,
        dense.rmsFinal(),
        dense.classifier(),
        new CirculantFfn(k, w1, w2, w3));
  }

  static LlamaWeights expanded(LlamaWeights c) {
    int d = CONFIG.dim();
    int h = CONFIG.hiddenDim();
    CirculantFfn f = c.circulantFfn();
    int k = f.blockSize();
    List<LlamaWeights.Layer> layers = new ArrayList<>();
    for (int i = 0; i < c.layers().size(); i++) {
      LlamaWeights.Layer l = c.layers().get(i);
      layers.add(
          new LlamaWeights.Layer(
              l.rmsAtt(),
              l.wq(),
              l.wk(),
              l.wv(),
              l.wo(),
              l.rmsFfn(),
              BlockCirculantTest.dense(f.w1().get(i), h, d, k),
              BlockCirculantTest.dense(f.w2().get(i), d, h, k),
              BlockCirculantTest.dense(f.w3().get(i), h, d, k)));
    }
    return new LlamaWeights(CONFIG, c.tokenEmbedding(), layers, c.rmsFinal(), c.classifier());
  }

  static float[] logits(LlamaWeights weights, int[] tokens) {
    try (NDManager manager = NDManager.newBaseManager("PyTorch");
        LlamaModel model = new LlamaModel(manager, weights)) {
      return model.forward(tokens, 0, model.newCache(tokens.length));
    }
  }

  @Test
  void circulantFeedForwardGivesTheExpandedDenseModelsLogits() {
    LlamaWeights c = circulant(RandomWeights.generate(CONFIG, 5), 4, 6);
    int[] tokens = {1, 7, 19, 3, 33, 8};
    float[] got = logits(c, tokens);
    float[] want = logits(expanded(c), tokens);
    for (int i = 0; i < want.length; i++) {
      assertThat((double) got[i]).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void checkpointExtensionRoundTripsAndStoresOnlyBlockVectors(@TempDir Path dir)
      throws IOException {
    LlamaWeights dense = RandomWeights.generate(CONFIG, 5);
    LlamaWeights c = circulant(dense, 4, 6);
    Path denseFile = dir.resolve("dense.bin");
    Path file = dir.resolve("bc.bin");
    Llama2cCheckpointWriter.write(dense, denseFile);
    Llama2cCheckpointWriter.write(c, file);
    long ffnDense = 3L * CONFIG.dim() * CONFIG.hiddenDim() * CONFIG.nLayers();
    long ffnBlocks =
        (2 * CirculantFfn.storedValues(22, 16, 4) + CirculantFfn.storedValues(16, 22, 4))
            * CONFIG.nLayers();
    assertThat(Files.size(denseFile) - Files.size(file))
        .isEqualTo((ffnDense - ffnBlocks) * Float.BYTES - 12);
    LlamaWeights back = Llama2cCheckpoint.read(file);
    assertThat(back.circulantFfn().blockSize()).isEqualTo(4);
    assertThat(back.circulantFfn().w2().get(1)).isEqualTo(c.circulantFfn().w2().get(1));
    assertThat(logits(back, new int[] {1, 2, 3})).isEqualTo(logits(c, new int[] {1, 2, 3}));
  }

  @Test
  void unknownExtensionVersionIsRefusedByName(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bc.bin");
    Llama2cCheckpointWriter.write(circulant(RandomWeights.generate(CONFIG, 5), 4, 6), file);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 2);
    Files.write(file, bytes);
    assertThatThrownBy(() -> Llama2cCheckpoint.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("block-circulant checkpoint of format version 2")
        .hasMessageContaining("reads version 1");
  }

  @Test
  void denseOnlyFormatsRefuseCirculantWeights() {
    LlamaWeights c = circulant(RandomWeights.generate(CONFIG, 5), 4, 6);
    assertThatThrownBy(() -> c.requireDenseFfn("the Hugging Face format"))
        .hasMessageContaining("stores them block-circulant (k = 4)");
  }
}
