package dev.weft.engine.llama2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.engine.TestModels;
import dev.weft.engine.model.InvalidModelException;
import dev.weft.engine.model.LlamaConfig;
import dev.weft.engine.model.LlamaWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cCheckpointTest {

  private static final Path CHECKPOINT = TestModels.stories260K().resolve("stories260K.bin");

  @Test
  void readsTheHeaderOfStories260K() {
    LlamaWeights w = Llama2cCheckpoint.read(CHECKPOINT);
    LlamaConfig c = w.config();
    assertThat(c.dim()).isEqualTo(64);
    assertThat(c.hiddenDim()).isEqualTo(172);
    assertThat(c.nLayers()).isEqualTo(5);
    assertThat(c.nHeads()).isEqualTo(8);
    assertThat(c.nKvHeads()).isEqualTo(4);
    assertThat(c.vocabSize()).isEqualTo(512);
    assertThat(c.maxSeqLen()).isEqualTo(512);
    assertThat(c.sharedClassifier()).isTrue();
    assertThat(w.classifier()).isSameAs(w.tokenEmbedding());
    assertThat(c.parameterCount()).isBetween(250_000L, 270_000L);
  }

  @Test
  void truncatedCheckpointNamesTheTensorAndSizes(@TempDir Path dir) throws IOException {
    byte[] full = Files.readAllBytes(CHECKPOINT);
    // Header 28 bytes + embedding 512*64*4 + rms_att 5*64*4 = 132,380; cut inside wq.
    Path cut = dir.resolve("cut.bin");
    Files.write(cut, Arrays.copyOf(full, 140_000));
    assertThatThrownBy(() -> Llama2cCheckpoint.read(cut))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(cut.toString())
        .hasMessageContaining("truncated")
        .hasMessageContaining("tensor wq")
        .hasMessageContaining("needs 81920 bytes")
        .hasMessageContaining("only 7620 bytes remain");
  }

  @Test
  void trailingBytesAreReported(@TempDir Path dir) throws IOException {
    byte[] full = Files.readAllBytes(CHECKPOINT);
    Path longer = dir.resolve("longer.bin");
    Files.write(longer, Arrays.copyOf(full, full.length + 12));
    assertThatThrownBy(() -> Llama2cCheckpoint.read(longer))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("12 unexpected bytes after the last tensor");
  }

  @Test
  void nonsenseHeaderIsRejectedBeforeReadingTensors(@TempDir Path dir) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(64).putInt(172).putInt(5).putInt(7).putInt(4).putInt(512).putInt(512);
    Path bad = dir.resolve("bad.bin");
    Files.write(bad, header.array());
    assertThatThrownBy(() -> Llama2cCheckpoint.read(bad))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("not a valid llama2.c checkpoint header")
        .hasMessageContaining("n_heads 7");
  }

  @Test
  void fileShorterThanTheHeaderIsRejected(@TempDir Path dir) throws IOException {
    Path tiny = dir.resolve("tiny.bin");
    Files.write(tiny, new byte[10]);
    assertThatThrownBy(() -> Llama2cCheckpoint.read(tiny))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("shorter than the 28-byte header");
  }
}
