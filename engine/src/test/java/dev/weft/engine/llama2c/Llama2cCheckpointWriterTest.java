package dev.weft.engine.llama2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.TestModels;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import dev.weft.engine.model.RandomWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cCheckpointWriterTest {

  @Test
  void writtenCheckpointReadsBackToTheSameWeights(@TempDir Path dir) throws IOException {
    LlamaWeights original =
        Llama2cCheckpoint.read(TestModels.stories260K().resolve("stories260K.bin"));
    Path copy = dir.resolve("copy.bin");
    Llama2cCheckpointWriter.write(original, copy);

    assertThat(Files.size(copy))
        .isEqualTo(Files.size(TestModels.stories260K().resolve("stories260K.bin")));
    LlamaWeights back = Llama2cCheckpoint.read(copy);
    assertThat(back.config()).isEqualTo(original.config());
    assertThat(back.tokenEmbedding()).isEqualTo(original.tokenEmbedding());
    assertThat(back.rmsFinal()).isEqualTo(original.rmsFinal());
    for (int l = 0; l < original.layers().size(); l++) {
      assertThat(back.layers().get(l).wq()).isEqualTo(original.layers().get(l).wq());
      assertThat(back.layers().get(l).w2()).isEqualTo(original.layers().get(l).w2());
    }
  }

  @Test
  void unsharedClassifierIsWrittenAfterTheRotaryTables(@TempDir Path dir) throws IOException {
    LlamaConfig config =
        new LlamaConfig(
            32, 48, 2, 4, 2, 64, 16, 10000, 1e-5, false, LlamaConfig.RopeStyle.INTERLEAVED);
    LlamaWeights random = RandomWeights.generate(config, 3);
    Path file = dir.resolve("r.bin");
    Llama2cCheckpointWriter.write(random, file);
    LlamaWeights back = Llama2cCheckpoint.read(file);
    assertThat(back.config().sharedClassifier()).isFalse();
    assertThat(back.classifier()).isEqualTo(random.classifier());
    assertThat(back.classifier()).isNotEqualTo(back.tokenEmbedding());
  }

  @Test
  void halvesStyleWeightsAreRefused(@TempDir Path dir) {
    LlamaConfig config =
        new LlamaConfig(32, 48, 1, 4, 4, 64, 16, 10000, 1e-5, true, LlamaConfig.RopeStyle.HALVES);
    assertThatThrownBy(
            () ->
                Llama2cCheckpointWriter.write(
                    RandomWeights.generate(config, 1), dir.resolve("x.bin")))
        .hasMessageContaining("interleaved");
  }
}
