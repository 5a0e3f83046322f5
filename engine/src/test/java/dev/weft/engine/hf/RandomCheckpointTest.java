package dev.weft.engine.hf;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.weft.engine.forward.KvCache;
import dev.weft.engine.forward.LlamaModel;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.LoadedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init-model}'s random checkpoints: the promised shape, statistics, seed and tokenizer. */
class RandomCheckpointTest {

  static final LlamaConfig SPEC =
      ModelShapes.parse("dim=64,layers=2,heads=4,kv_heads=2,hidden=172,vocab=512,context=1024");

  @TempDir Path tmp;

  @Test
  void writesALoadableModelOfTheShapeWithSeededNormalWeights() throws IOException {
    Path dir = tmp.resolve("m");
    RandomCheckpoint.write(dir, SPEC, 42, Dtype.F32);
    LoadedModel loaded = LoadedModel.load(HfModels.source("m", dir));
    try {
      assertThat(loaded.config()).isEqualTo(SPEC);
      LlamaWeights w = loaded.weights();
      assertThat(w.layers().get(0).rmsAtt()).containsOnly(1f);
      assertThat(w.rmsFinal()).containsOnly(1f);
      float[] embedding = w.tokenEmbedding();
      double sum = 0;
      double squares = 0;
      for (float v : embedding) {
        sum += v;
        squares += (double) v * v;
      }
      double mean = sum / embedding.length;
      double std = Math.sqrt(squares / embedding.length - mean * mean);
      assertThat(mean).isBetween(-0.001, 0.001);
      assertThat(std).isBetween(0.0195, 0.0205);
      // Tensors are drawn independently: not the same stream twice.
      assertThat(w.layers().get(0).wq()).isNotEqualTo(w.layers().get(1).wq());

      try (NDManager manager = NDManager.newBaseManager("PyTorch");
          LlamaModel model = new LlamaModel(manager, w);
          KvCache cache = model.newCache(16)) {
        int[] prompt = loaded.tokenizer().encode("hello there", true);
        float[] logits = model.forward(prompt, 0, cache);
        assertThat(logits).hasSize(512);
        for (float v : logits) {
          assertThat(Float.isFinite(v)).isTrue();
        }
      }
    } finally {
      ((HfTokenizer) loaded.tokenizer()).close();
    }
  }

  @Test
  void theSeedDeterminesTheFileExactly() throws IOException {
    LlamaConfig small = ModelShapes.parse("dim=16,layers=1,heads=2,vocab=400,context=32");
    RandomCheckpoint.write(tmp.resolve("a"), small, 5, Dtype.BF16);
    RandomCheckpoint.write(tmp.resolve("b"), small, 5, Dtype.BF16);
    RandomCheckpoint.write(tmp.resolve("c"), small, 6, Dtype.BF16);
    byte[] a = Files.readAllBytes(tmp.resolve("a/model.safetensors"));
    assertThat(Files.readAllBytes(tmp.resolve("b/model.safetensors"))).isEqualTo(a);
    assertThat(Files.readAllBytes(tmp.resolve("c/model.safetensors"))).isNotEqualTo(a);
  }

  @Test
  void syntheticTokenizerHasExactlyTheVocabularyAndRoundTripsText() throws IOException {
    Path file = tmp.resolve("tokenizer.json");
    JsonFiles.write(file, RandomCheckpoint.syntheticTokenizer(32000).toJson());
    try (HfTokenizer tok = HfTokenizer.load(file, OptionalInt.empty(), Optional.empty())) {
      assertThat(tok.vocabSize()).isEqualTo(32000);
      assertThat(tok.bos()).isEqualTo(1);
      assertThat(tok.eos()).isEqualTo(2);
      String text = "the quick brown fox, naïve: 42!\nnext line";
      int[] ids = tok.encode(text, true);
      assertThat(ids[0]).isEqualTo(1);
      // Letter pairs merge, so English takes fewer tokens than characters.
      assertThat(ids.length).isLessThan(text.length());
      assertThat(tok.decode(1, java.util.Arrays.copyOfRange(ids, 1, ids.length))).isEqualTo(text);
      // Filler tokens decode as their names: a random model's output stays readable.
      assertThat(new String(tok.decodePiece(5, 31999), java.nio.charset.StandardCharsets.UTF_8))
          .startsWith("<reserved_");
    }
  }
}
