package dev.weft.engine.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.model.LlamaConfig;
import org.junit.jupiter.api.Test;

class ModelShapesTest {

  @Test
  void namedShapesAreTheTinyStoriesModelsWithALongContext() {
    LlamaConfig m15 = ModelShapes.parse("15M");
    assertThat(m15.dim()).isEqualTo(288);
    assertThat(m15.nLayers()).isEqualTo(6);
    assertThat(m15.nHeads()).isEqualTo(6);
    assertThat(m15.nKvHeads()).isEqualTo(6);
    assertThat(m15.hiddenDim()).isEqualTo(768);
    assertThat(m15.vocabSize()).isEqualTo(32000);
    assertThat(m15.maxSeqLen()).isEqualTo(4096);
    assertThat(m15.parameterCount()).isBetween(15_000_000L, 15_500_000L);
    assertThat(m15.ropeStyle()).isEqualTo(LlamaConfig.RopeStyle.HALVES);

    LlamaConfig m110 = ModelShapes.parse("110m");
    assertThat(m110.dim()).isEqualTo(768);
    assertThat(m110.nLayers()).isEqualTo(12);
    assertThat(m110.nHeads()).isEqualTo(12);
    assertThat(m110.hiddenDim()).isEqualTo(2048);
    assertThat(m110.maxSeqLen()).isEqualTo(4096);
    assertThat(m110.parameterCount()).isBetween(109_000_000L, 111_000_000L);
  }

  @Test
  void specsGiveEveryFieldWithDefaults() {
    LlamaConfig c =
        ModelShapes.parse("dim=64,layers=2,heads=4,kv_heads=2,hidden=172,vocab=512,context=1024");
    assertThat(c)
        .isEqualTo(
            new LlamaConfig(
                64, 172, 2, 4, 2, 512, 1024, 10000.0, 1e-5, true, LlamaConfig.RopeStyle.HALVES));
    LlamaConfig d = ModelShapes.parse(" dim=288, layers=6, heads=6, theta=500000, tied=false ");
    assertThat(d.hiddenDim()).isEqualTo(768);
    assertThat(d.nKvHeads()).isEqualTo(6);
    assertThat(d.vocabSize()).isEqualTo(32000);
    assertThat(d.ropeTheta()).isEqualTo(500000.0);
    assertThat(d.sharedClassifier()).isFalse();
  }

  @Test
  void badSpecsSayWhatIsWrong() {
    assertThatThrownBy(() -> ModelShapes.parse("7B"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'7B' is not one of [dim, layers");
    assertThatThrownBy(() -> ModelShapes.parse("dim=64,layers=2"))
        .hasMessage("shape 'dim=64,layers=2': heads is required");
    assertThatThrownBy(() -> ModelShapes.parse("dim=64,layers=2,heads=5"))
        .hasMessage("shape 'dim=64,layers=2,heads=5': dim 64 is not a multiple of n_heads 5");
    assertThatThrownBy(() -> ModelShapes.parse("dim=64,layers=x,heads=4"))
        .hasMessage("shape 'dim=64,layers=x,heads=4': layers=x is not an integer");
    assertThatThrownBy(() -> ModelShapes.parse("dim=64,dim=32,layers=1,heads=4"))
        .hasMessageContaining("dim given twice");
  }
}
