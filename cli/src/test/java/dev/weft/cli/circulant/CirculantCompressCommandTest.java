package dev.weft.cli.circulant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft circulant compress} on stories260K with a tiny distillation budget, then {@code weft
 * generate} on the compressed checkpoint: the block-circulant feed-forward model loads and
 * generates. Slow (179 s on the shared 2-vCPU box under load), so it runs with {@code -Pslow}.
 */
@Tag("slow")
class CirculantCompressCommandTest {

  @TempDir Path dir;

  static Path stories260K() {
    Path root = Path.of(System.getProperty("weft.repo.root", "..")).toAbsolutePath().normalize();
    return root.resolveSibling("shared").resolve("models").resolve("stories260K");
  }

  @Test
  void compressedCheckpointLoadsAndGenerates() throws Exception {
    Path out = dir.resolve("stories260K-bc8");
    CliRun compress =
        CliRun.of(
            "circulant",
            "compress",
            "--model",
            stories260K().toString(),
            "--k",
            "8",
            "--train-seqs",
            "2",
            "--held-out-seqs",
            "1",
            "--length",
            "16",
            "--steps",
            "6",
            "--batch",
            "16",
            "--out",
            out.toString());
    assertThat(compress.code()).as(compress.err()).isZero();
    assertThat(compress.out()).contains("model stories260K, k = 8: feed-forward weights");
    assertThat(compress.out()).contains("held-out loss").contains("ADMM + fine-tune");
    assertThat(out.resolve("model.bin")).isRegularFile();
    // The compressed checkpoint is smaller than the dense one: its FFN matrices store block
    // vectors.
    assertThat(Files.size(out.resolve("model.bin")))
        .isLessThan(Files.size(stories260K().resolve("stories260K.bin")));

    CliRun gen =
        CliRun.of(
            "generate",
            "--model",
            out.toString(),
            "--prompt",
            "Once upon a time",
            "--max-tokens",
            "12",
            "--seed",
            "1");
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.out()).hasSizeGreaterThan("Once upon a time".length());
    assertThat(gen.err()).contains("finish: ");
  }
}
